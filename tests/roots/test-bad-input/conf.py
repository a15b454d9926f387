extensions = ["sphinxcontrib_convpad"]
