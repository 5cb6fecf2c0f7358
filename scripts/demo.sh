#!/usr/bin/env bash
# `make demo`: train the BioELMo NER config on the bundled fixtures, then tag raw biomedical text.
# Offline; a few minutes at most on 2 cores. Uses the biLM named by BIOELMO_OPTIONS/BIOELMO_WEIGHTS,
# by default the bundled small RANDOM biLM (so the entities come from a tiny model trained on 25
# sentences: a pipeline check, not BioELMo's accuracy).
set -euo pipefail
cd "$(dirname "$0")/.."
OUT=${DEMO_OUTPUT:-demo_output}
rm -rf "$OUT"
mkdir -p "$OUT"
echo "== training training_configs/ner/ncbi_disease.jsonnet (log: $OUT/train.log)"
# The config's batch size and learning rate suit real corpora; 25 fixture sentences want smaller steps.
DEMO_OVERRIDES='{"data_loader.batch_sampler.batch_size": 4, "trainer.optimizer.lr": 0.005}'
allennlp train training_configs/ner/ncbi_disease.jsonnet -s "$OUT/model" -o "$DEMO_OVERRIDES" > "$OUT/train.log" 2>&1 || {
  tail -30 "$OUT/train.log"; exit 1; }
grep -E "BioELMo files" "$OUT/train.log" | sed 's/.* - WARNING - [^ ]* - /   /; s/.* - INFO - [^ ]* - /   /' | head -1
python - "$OUT/model/metrics.json" <<'PY'
import json, sys
m = json.load(open(sys.argv[1]))
print(f"   test entity F1 {m['test_f1-measure-overall']:.2f} (best epoch {m['best_epoch']})")
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
