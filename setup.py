from setuptools import find_packages, setup

VERSION = {}
with open("allennlp_bioelmo/version.py") as handle:
    exec(handle.read(), VERSION)

setup(
    name="allennlp-bioelmo",
    version=VERSION["VERSION"],
    description="BioELMo (biomedical ELMo) for AllenNLP 2.10 on Python 3.11: exact, fast biLM, "
    "biomedical readers, models and predictors",
    long_description=open("README.md", encoding="utf-8").read(),
    long_description_content_type="text/markdown",
    packages=find_packages(exclude=["tests", "tests.*", "benchmarks"]),
    python_requires=">=3.11",
    # What pip can resolve. AllenNLP 2.10.1 itself must be installed with --no-deps (its pins
    # exclude Python 3.11); `make install` does that from requirements.txt.
    install_requires=["torch>=2.0", "h5py>=3.6", "numpy>=1.21", "tqdm>=4.62", "jsonnet>=0.10"],
    entry_points={},
    classifiers=["Programming Language :: Python :: 3.11", "Topic :: Scientific/Engineering :: Bio-Informatics"],
)
