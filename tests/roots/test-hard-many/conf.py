extensions = ["sphinxcontrib_convpad"]
project = "convpad hardening"
copyright = "2026, the hardening tests"
version = release = "1.0"
today = "1 January 2026"  # the LaTeX title page: no build date, so builds can be compared
numfig = True
html_theme = "basic"  # what sphinx.testing would pick; the CLI builds must match
latex_documents = [("index", "hardening.tex", "convpad hardening", "tests", "howto")]
