#!/usr/bin/env bash
# Trains BioELMo-small from scratch on the PubMed sentences of ../shared/data/pubmed-sentences
# with `allennlp bioelmo-finetune`, then copies the released-format files into the package
# (allennlp_bioelmo/pretrained/bioelmo_small/) with the training log.
#
# Resumable: rerun the same command after an interruption and it continues from the last
# checkpoint in $BIOELMO_SMALL_WORKDIR. Where that folder is gone (a new machine), it starts
# over from step 0 with the same seed. Run it in the background:
#
#     nohup bash scripts/train_bioelmo_small.sh > bioelmo_small_train.log 2>&1 &
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
DATA=${PUBMED_SENTENCES:-$ROOT/../shared/data/pubmed-sentences}
WORK=${BIOELMO_SMALL_WORKDIR:-$HOME/.cache/allennlp-bioelmo/bioelmo-small-training}
DEST=$ROOT/allennlp_bioelmo/pretrained/bioelmo_small
ALLENNLP=${ALLENNLP:-$ROOT/.venv/bin/allennlp}

for file in train.txt heldout.txt vocab.txt; do
    test -f "$DATA/$file" || { echo "missing $DATA/$file (set PUBMED_SENTENCES)" >&2; exit 1; }
done
mkdir -p "$WORK"

# The network: char CNN with 512 filters of widths 1-5 over 16-d character embeddings, one
# highway layer, projected to 128; two biLSTM layers with 512-d cells projected to 128, clipped
# at 3 and with a residual connection, as in bilm-tf. 3.0M biLM parameters, 3.5M softmax.
cat > "$WORK/options.input.json" <<'JSON'
{
  "bidirectional": true,
  "char_cnn": {
    "activation": "relu",
    "embedding": {"dim": 16},
    "filters": [[1, 32], [2, 64], [3, 128], [4, 128], [5, 160]],
    "max_characters_per_token": 50,
    "n_characters": 261,
    "n_highway": 1
  },
  "dropout": 0.0,
  "lstm": {
    "cell_clip": 3,
    "dim": 512,
    "n_layers": 2,
    "proj_clip": 3,
    "projection_dim": 128,
    "use_skip_connections": true
  },
  "all_clip_norm_val": 1.0
}
JSON

# The recipe: Adam, peak learning rate 0.002 after a 500-step linear warm-up, linear decay to zero
# over 7 epochs of 64 sentences a step, sampled softmax with 4,096 distinct log-uniform negatives,
# gradient norm clipped at 1. Held-out perplexity every 600 steps and after every epoch.
# (The shipped model's run was extended while it trained, from 3 to 4 epochs at step 1,250 and
# from 4 to 7 at step 4,932; the "resume" records of its training_log.jsonl show where. A resumed
# run recomputes the linear decay for the new length, so the rate stepped back up at each change.)
"$ALLENNLP" bioelmo-finetune "$DATA/train.txt" "$WORK" \
    --options-file "$WORK/options.input.json" --vocab-file "$DATA/vocab.txt" \
    --validation-file "$DATA/heldout.txt" --validate-every 600 \
    --epochs 7 --batch-size 64 --learning-rate 0.002 --warmup-steps 500 --lr-schedule linear \
    --num-samples 4096 --grad-clip 1.0 --checkpoint-every 50 --seed 13

mkdir -p "$DEST"
for file in options.json weights.hdf5 softmax.hdf5 vocab.txt; do
    cp "$WORK/$file" "$DEST/$file"
done
cp "$WORK/metrics.jsonl" "$DEST/training_log.jsonl"
"$ALLENNLP" bioelmo-perplexity "$DATA/heldout.txt" --options-file "$DEST/options.json" \
    --vocab-file "$DEST/vocab.txt" --weight-file "$DEST/weights.hdf5" --softmax-file "$DEST/softmax.hdf5" \
    | tee "$DEST/heldout_perplexity.txt"
echo "BioELMo-small written to $DEST"
