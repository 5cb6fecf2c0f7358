// Shared pieces of every training config. Paths come from environment variables (AllenNLP passes
// the environment to Jsonnet); importing allennlp_bioelmo gives each one a default that points at
// the bundled fixtures, so every config runs as shipped. See README "Configuration variables".
{
  env(name):: std.extVar(name),
  envInt(name):: std.parseInt(std.extVar(name)),

  // The BioELMo token embedder as the paper uses it (frozen) unless overridden.
  bioelmo(layer_mix='scalar_mix', dropout=0.5, requires_grad=false):: {
    type: 'bioelmo',
    options_file: $.env('BIOELMO_OPTIONS'),
    weight_file: $.env('BIOELMO_WEIGHTS'),
    layer_mix: layer_mix,
    dropout: dropout,
    requires_grad: requires_grad,
  },

  bioelmoIndexers:: { elmo: { type: 'bioelmo_characters' } },

  nerReader(scheme='BIO'):: {
    type: 'bio_conll',
    token_indexers: $.bioelmoIndexers,
    output_scheme: scheme,
  },

  dataLoader(batch_size):: {
    batch_sampler: { type: 'bucket', batch_size: batch_size, sorting_keys: ['tokens'] },
  },

  trainer(epochs, lr, patience=null, metric='+f1-measure-overall'):: {
    optimizer: { type: 'adam', lr: lr },
    num_epochs: epochs,
    validation_metric: metric,
    [if patience != null then 'patience']: patience,
    cuda_device: -1,
  },
}
