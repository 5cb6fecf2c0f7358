"""
The files BioELMo comes in, apart from the network: bilm-tf's HDF5 weights (read and written),
TensorFlow checkpoints and their conversion, and files of precomputed vectors.
"""
