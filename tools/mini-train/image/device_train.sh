#!/usr/bin/env bash
# One prepared GPU run of the image tower (the `device` tool's machine: one GPU, 16 cores, no data directory):
# four variants trained side by side on the same GPU from a pack written by pack.py, each for MINUTES of wall
# clock, model selection on the validation split only. Each variant's best checkpoint comes back as a .npz
# (ckpt.py; loads with any torch) in OUT/<variant>.tar together with its training log.
#
#   tools/mini-train/image/device_train.sh PACK_DIR INIT_CHECKPOINT OUT_DIR [MINUTES=6.5]
#
#   A  shipped 0.1 widths (32,48,96,192), continued from INIT_CHECKPOINT, lr 1e-3, batch 512
#   B  shipped widths, from scratch, lr 2e-3, batch 512
#   C  wider (32,64,128,256), from scratch, lr 2e-3, batch 512
#   D  wider, from scratch, lr 3e-3, batch 1024
set -uo pipefail
PACK=$(realpath "$1"); INIT=$(realpath "$2"); OUT=$(realpath "$3"); MIN=${4:-6.5}
cd "$(dirname "$0")"
RUNS=/tmp/bindspace-image-runs
mkdir -p "$OUT" "$RUNS"
PY=python3
$PY -c "import torch, lzma; print('torch', torch.__version__, 'cuda', torch.cuda.is_available())" || exit 1
nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv,noheader || true
LIMIT=$(python3 -c "print(int($MIN * 60 + 150))")
run() {
  local name=$1; shift
  OMP_NUM_THREADS=2 PYTHONUNBUFFERED=1 timeout -s INT "$LIMIT" $PY train.py --packed "$PACK" --device "${DEVICE:-cuda}" --threads 2 \
    --minutes "$MIN" --eval-every 250 --out "$RUNS/$name" "$@" > "$RUNS/$name.out" 2>&1 &
}
run A --init "$INIT" --lr 1e-3 --batch 512 --seed 11
run B --lr 2e-3 --batch 512 --seed 12
run C --widths 32,64,128,256 --lr 2e-3 --batch 512 --seed 13
run D --widths 32,64,128,256 --lr 3e-3 --batch 1024 --seed 14
while [ -n "$(jobs -r)" ]; do
  sleep "${POLL:-60}"
  for n in A B C D; do echo "$n: $(grep VAL "$RUNS/$n.out" | tail -1)"; done
  nvidia-smi --query-gpu=utilization.gpu,memory.used --format=csv,noheader 2>/dev/null || true
done
wait
for n in A B C D; do
  echo "== $n"; grep -E "args|model|VAL|best|Error|error" "$RUNS/$n.out" | grep -v "^$" | awk 'NR<=3 || /best|rror|final/ || NR%8==0'
  if [ -f "$RUNS/$n/best.pt" ]; then
    $PY ckpt.py "$RUNS/$n/best.pt" "$RUNS/$n/best.npz" && tar -C "$RUNS" -cf "$OUT/$n.tar" "$n/best.npz" "$n/train_log.txt"
  fi
done
ls -la "$OUT"
