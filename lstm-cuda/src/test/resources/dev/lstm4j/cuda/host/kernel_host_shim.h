// Lets the CUDA kernel sources compile as plain C++ so that their arithmetic can be checked on machines
// without a GPU: a launch becomes a loop over every (block, thread) index. Valid for kernels that use no
// shared memory, synchronisation or warp functions, which holds for the pointwise kernels the harness runs;
// the shared-memory transpose compiles (so the whole source builds) but is not run here.
#include <math.h>
#include <stddef.h>

struct HostDim3 {
    unsigned x, y, z;
};
static HostDim3 blockIdx, threadIdx, blockDim;

#define __global__
#define __device__
#define __forceinline__ inline
#define __restrict__ __restrict
#define __shared__ static
#define __syncthreads()
