# Sourced by the benchmark scripts that run Debian's numpy/torch/FAISS (OpenBLAS) as the reference.
#
# Debian 12's OpenBLAS (0.3.21, DYNAMIC_ARCH) picks its kernels from the CPU model. It does not know
# the virtual CPU of our machines ("Intel(R) Xeon(R) Processor", Sapphire Rapids-class) and falls back
# to its Prescott (SSE3) kernels: 32 GFLOP/s per core instead of ~140 measured with the AVX-512 ones
# (OPENBLAS_VERBOSE=2 prints "Core: Prescott"). A reference has to be the fastest Python a user can
# have, so unless the caller chose one, pick the kernel set from the CPU flags.
if [[ -z ${OPENBLAS_CORETYPE:-} ]]; then
  if grep -qw avx512_bf16 /proc/cpuinfo; then OPENBLAS_CORETYPE=Cooperlake
  elif grep -qw avx512f /proc/cpuinfo; then OPENBLAS_CORETYPE=SkylakeX
  elif grep -qw avx2 /proc/cpuinfo; then OPENBLAS_CORETYPE=Haswell
  fi
fi
if [[ -n ${OPENBLAS_CORETYPE:-} ]]; then
  export OPENBLAS_CORETYPE
fi
# The kernel set Debian's OpenBLAS actually uses, for the run's record.
openblas_core() {
  OPENBLAS_VERBOSE=2 /usr/bin/python3 -c 'import numpy' 2>&1 | grep -o 'Core: .*' | tail -1
}
