// Shared pieces of every training config. Paths come from environment variables (AllenNLP passes
// the environment to Jsonnet); importing allennlp_bioelmo gives each one a default that points at
// the bundled fixtures, so every config runs as shipped (see README "Configuration variables").
{
  env(name):: std.extVar(name),
  envInt(name):: std.parseInt(std.extVar(name)),

  // Width of every biLM layer: 1024 for BioELMo, derived from BIOELMO_OPTIONS. Where that file
  // cannot be read, the plugin sets the variable to the reason instead, which is the error shown.
  bilmDim::
    local dim = $.env('BIOELMO_OUTPUT_DIM');
    local digits = std.length(dim) > 0 && std.all([std.member('0123456789', c) for c in std.stringChars(dim)]);
    if digits then std.parseInt(dim) else error dim,

  // The BioELMo token embedder, frozen as in the paper unless requires_grad is set. With
  // BIOELMO_CACHE naming a file written by `allennlp bioelmo-embed --layers all`, the frozen
  // layers are read from it instead of recomputed every epoch (embedder "bioelmo_cached").
  bioelmo(layer_mix='scalar_mix', dropout=0.5, requires_grad=false)::
    local cache = $.env('BIOELMO_CACHE');
    {
      type: if cache == '' || requires_grad then 'bioelmo' else 'bioelmo_cached',
      options_file: $.env('BIOELMO_OPTIONS'),
      weight_file: $.env('BIOELMO_WEIGHTS'),
      layer_mix: layer_mix,
      dropout: dropout,
      [if requires_grad then 'requires_grad']: true,
      [if cache != '' && !requires_grad then 'cache_file']: cache,
    },

  indexers:: { elmo: { type: 'bioelmo_characters' } },
  embedder(layer_mix='scalar_mix', dropout=0.5):: { token_embedders: { elmo: $.bioelmo(layer_mix, dropout) } },

  // train/validation/test paths of a data set, from <PREFIX>_TRAIN / _DEV / _TEST
  data(prefix):: {
    train_data_path: $.env(prefix + '_TRAIN'),
    validation_data_path: $.env(prefix + '_DEV'),
    test_data_path: $.env(prefix + '_TEST'),
    evaluate_on_test: true,
  },

  dataLoader(batch_size, sorting_key='tokens'):: {
    batch_sampler: { type: 'bucket', batch_size: batch_size, sorting_keys: [sorting_key] },
  },

  trainer(epochs, lr, metric, patience=null):: {
    optimizer: { type: 'adam', lr: lr },
    num_epochs: epochs,
    validation_metric: metric,
    [if patience != null then 'patience']: patience,
    cuda_device: $.envInt('CUDA_DEVICE'),  // default: 0 where a GPU is visible, else -1 (CPU)
    // TensorBoard scalars in <serialization dir>/log/{train,validation}: tensorboard --logdir out
    callbacks: [{ type: 'tensorboard' }],
  },

  biLstm(hidden, layers=1, dropout=0.0):: {
    type: 'lstm', input_size: $.bilmDim, hidden_size: hidden, num_layers: layers, bidirectional: true, dropout: dropout,
  },

  // NER on a data set: frozen BioELMo -> biLSTM -> CRF.
  ner(prefix, reader, batch_size=32, hidden=200, lr=0.001):: $.data(prefix) + {
    dataset_reader: reader { token_indexers: $.indexers },
    model: {
      type: 'bio_crf_tagger',
      label_encoding: 'BIO',
      text_field_embedder: $.embedder(dropout=0.25),
      encoder: $.biLstm(hidden),
      dropout: 0.25,
    },
    data_loader: $.dataLoader(batch_size),
    trainer: $.trainer($.envInt('NER_EPOCHS'), lr, '+f1-measure-overall'),
  },

  // Relation classification: frozen BioELMo -> biLSTM -> pooled head/tail spans -> feedforward.
  relation(prefix, reader, negative_label=null, batch_size=32, hidden=200, lr=0.001):: $.data(prefix) + {
    dataset_reader: { type: 'bio_relation' } + reader + { token_indexers: $.indexers },
    model: {
      type: 'bio_relation_classifier',
      text_field_embedder: $.embedder(dropout=0.25),
      encoder: $.biLstm(hidden),
      span_pooling: 'max',
      combination: ['head', 'tail', 'product'],
      feedforward: { input_dim: 3 * 2 * hidden, num_layers: 1, hidden_dims: hidden, activations: 'relu', dropout: 0.25 },
      [if negative_label != null then 'negative_label']: negative_label,
    },
    data_loader: $.dataLoader(batch_size),
    trainer: $.trainer($.envInt('RE_EPOCHS'), lr, '+micro-f1'),
  },
}
