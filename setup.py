from setuptools import find_packages, setup

VERSION = {}
with open("allennlp_bioelmo/version.py") as handle:
    exec(handle.read(), VERSION)

# Every third-party package the plugin imports at run time (tests/test_packaging.py checks the
# list against the imports). AllenNLP 2.10.1 and fairscale are imported too, but are not listed:
# their own pins (torch<1.13, ...) cannot be met on Python 3.11, so `make install` installs them
# with --no-deps (see requirements.txt).
INSTALL_REQUIRES = [
    "bioc>=2.1",
    "google-crc32c>=1.1",
    "h5py>=3.6",
    "jsonnet>=0.10",
    "lxml>=4.6",
    "tensorboardX>=1.2",
    "numpy>=1.21",
    "torch>=2.0",
    "tqdm>=4.62",
]

# `pip install allennlp-bioelmo[viz]`: what `allennlp bioelmo-senses` (PCA, t-SNE, figures) and
# `allennlp bioelmo-plot` (training curves) need on top; both commands say so when it is missing.
EXTRAS_REQUIRE = {"viz": ["matplotlib>=3.5", "scikit-learn>=1.0"]}

setup(
    name="allennlp-bioelmo",
    version=VERSION["VERSION"],
    description="BioELMo (biomedical ELMo) for AllenNLP 2.10 on Python 3.11: exact, fast biLM, "
    "biomedical readers, models and predictors",
    long_description=open("README.md", encoding="utf-8").read(),
    long_description_content_type="text/markdown",
    license="Apache-2.0",
    packages=find_packages(exclude=["tests", "tests.*", "benchmarks"]),
    # BioELMo-small (options, weights, softmax, vocabulary, training log) is the default biLM, so
    # it ships inside the package, wheels included.
    package_data={"allennlp_bioelmo": ["pretrained/bioelmo_small/*"]},
    python_requires=">=3.11",
    install_requires=INSTALL_REQUIRES,
    extras_require=EXTRAS_REQUIRE,
    classifiers=[
        "License :: OSI Approved :: Apache Software License",
        "Programming Language :: Python :: 3.11",
        "Topic :: Scientific/Engineering :: Bio-Informatics",
    ],
)
