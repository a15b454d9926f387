extensions = ["sphinxcontrib_convpad"]
project = "convpad pdf"
copyright = "2026, the PDF tests"
version = release = "1.0"
today = "1 January 2026"
numfig = True
latex_documents = [("index", "convpadpdf.tex", "convpad PDF", "tests", "howto")]
