"""
Data: `bilm_inputs` (character ids, sentence and vocabulary files), `token_indexers/`,
`dataset_readers/` and `tokenizers/`.
"""
