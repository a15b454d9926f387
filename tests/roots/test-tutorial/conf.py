extensions = ["sphinxcontrib_convpad"]
project = "convpad tutorial"
version = release = "1.0"
copyright = "2026, the tutorial"
