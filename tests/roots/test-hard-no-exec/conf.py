extensions = ["sphinxcontrib_convpad"]
project = "no code execution"
convpad_image_format = "png"
