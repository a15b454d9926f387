extensions = ["sphinxcontrib_convpad"]
numfig = True
