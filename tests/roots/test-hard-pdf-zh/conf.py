extensions = ["sphinxcontrib_convpad"]
project = "convpad 中文"
copyright = "2026, the PDF tests"
version = release = "1.0"
today = "2026年1月1日"
language = "zh_CN"
latex_engine = "xelatex"  # Sphinx then loads xeCJK; TeX Live's Fandol fonts set the Chinese
latex_documents = [("index", "convpadzh.tex", "卷积填充", "tests", "howto")]
