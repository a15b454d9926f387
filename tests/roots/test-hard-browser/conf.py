extensions = ["sphinxcontrib_convpad"]
project = "convpad in a browser"
copyright = "2026, the browser tests"
html_theme = "furo"  # light and dark, a narrow content column, a mobile layout
