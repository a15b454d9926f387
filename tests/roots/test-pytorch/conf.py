extensions = ["sphinxcontrib_convpad"]
convpad_framework = "pytorch"
