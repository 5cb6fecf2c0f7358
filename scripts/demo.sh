#!/usr/bin/env bash
# `make demo`: train the NCBI-disease NER config on the real NCBI-disease corpus shipped in
# data/ncbi-disease with BioELMo-small (the default biLM), print its test F1, then tag raw text.
# Offline; about 6 minutes on 2 cores. BIOELMO_OPTIONS/BIOELMO_WEIGHTS select another biLM
# (e.g. the released BioELMo); DEMO_EPOCHS the number of epochs.
set -euo pipefail
cd "$(dirname "$0")/.."
OUT=${DEMO_OUTPUT:-demo_output}
export NER_EPOCHS=${DEMO_EPOCHS:-8}
export NCBI_DISEASE_TRAIN=data/ncbi-disease/train.txt
export NCBI_DISEASE_DEV=data/ncbi-disease/dev.txt
export NCBI_DISEASE_TEST=data/ncbi-disease/test.txt
rm -rf "$OUT"
mkdir -p "$OUT"
started=$SECONDS

# The biLM is frozen, so its layers are the same in every epoch: compute them once for every
# sentence of the corpus (first column of each token line, a sentence per block).
awk -F'\t' 'NF == 0 { if (s != "") print s; s = ""; next } { s = (s == "" ? $1 : s " " $1) }
            END { if (s != "") print s }' data/ncbi-disease/*.txt > "$OUT/sentences.txt"
echo "== allennlp bioelmo-embed: biLM layers of $(wc -l < "$OUT/sentences.txt") sentences (log: $OUT/embed.log)"
allennlp bioelmo-embed "$OUT/sentences.txt" "$OUT/bioelmo_layers.hdf5" > "$OUT/embed.log" 2>&1 || {
  tail -30 "$OUT/embed.log"; exit 1; }
export BIOELMO_CACHE=$OUT/bioelmo_layers.hdf5

echo "== allennlp train training_configs/ner/ncbi_disease.jsonnet, $NER_EPOCHS epochs (log: $OUT/train.log)"
allennlp train training_configs/ner/ncbi_disease.jsonnet -s "$OUT/model" > "$OUT/train.log" 2>&1 || {
  tail -30 "$OUT/train.log"; exit 1; }
grep -E "BioELMo files" "$OUT/train.log" | sed 's/.* - \(WARNING\|INFO\) - [^ ]* - /   /' | head -1
python - "$OUT/model/metrics.json" <<'PY'
import json, sys
m = json.load(open(sys.argv[1]))
print(f"   NCBI-disease test entity F1 {m['test_f1-measure-overall']:.3f} "
      f"(P {m['test_precision-overall']:.3f}, R {m['test_recall-overall']:.3f}; best epoch {m['best_epoch']})")
PY

cat > "$OUT/input.jsonl" <<'JSONL'
{"text": "Germline mutations in BRCA1 predispose women to breast cancer and ovarian cancer."}
{"text": "Cystic fibrosis is caused by mutations in the CFTR gene. Patients with Huntington disease were excluded."}
{"text": "Children with retinoblastoma carry RB1 mutations, and loss of p53 is frequent in lung carcinoma."}
JSONL
echo "== allennlp predict $OUT/model/model.tar.gz $OUT/input.jsonl"
allennlp predict "$OUT/model/model.tar.gz" "$OUT/input.jsonl" --output-file "$OUT/predictions.jsonl" --silent \
  > "$OUT/predict.log" 2>&1 || { tail -30 "$OUT/predict.log"; exit 1; }
python - "$OUT/input.jsonl" "$OUT/predictions.jsonl" <<'PY'
import json, sys
for source, line in zip(open(sys.argv[1]), open(sys.argv[2])):
    text, result = json.loads(source)["text"], json.loads(line)
    print(f"\n{text}")
    for e in result["entities"] or []:
        print(f"   {e['type']:<8} [{e['start']:>3}:{e['end']:<3}] {text[e['start']:e['end']]}")
    if not result["entities"]:
        print("   (no entities)")
PY
echo
echo "demo finished in $((SECONDS - started)) s; outputs in $OUT/"
