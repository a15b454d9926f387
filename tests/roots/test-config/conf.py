extensions = ["sphinxcontrib_convpad"]
convpad_framework = "tensorflow"
convpad_summary_width = -3
convpad_image_format = "gif"
convpad_show = ["diagram", "pictures"]
convpad_colors = {"pad": "#ff0000", "padding": "#00ff00", "ink": "red; } body { display: none",
                  "dark": {"pad": "#330000"}}
