# AOT ID: ['3_inference']
from ctypes import c_void_p, c_long, c_int
import torch
import math
import random
import os
import tempfile
from math import inf, nan
from cmath import nanj
from torch._inductor.hooks import run_intermediate_hooks
from torch._inductor.utils import maybe_profile
from torch._inductor.codegen.memory_planning import _align as align
from torch import device, empty_strided
from torch._inductor.async_compile import AsyncCompile
from torch._inductor.select_algorithm import extern_kernels

aten = torch.ops.aten
inductor_ops = torch.ops.inductor
_quantized = torch.ops._quantized
assert_size_stride = torch._C._dynamo.guards.assert_size_stride
assert_alignment = torch._C._dynamo.guards.assert_alignment
empty_strided_cpu = torch._C._dynamo.guards._empty_strided_cpu
empty_strided_cpu_pinned = torch._C._dynamo.guards._empty_strided_cpu_pinned
empty_strided_cuda = torch._C._dynamo.guards._empty_strided_cuda
empty_strided_xpu = torch._C._dynamo.guards._empty_strided_xpu
empty_strided_mtia = torch._C._dynamo.guards._empty_strided_mtia
reinterpret_tensor = torch._C._dynamo.guards._reinterpret_tensor
alloc_from_pool = torch.ops.inductor._alloc_from_pool
async_compile = AsyncCompile()
empty_strided_p2p = torch._C._distributed_c10d._SymmetricMemory.empty_strided_p2p
_frozen_param0 = None  # device(type='cpu') torch.float32 (30522, 384) (384, 1) 7f18d8aed9a0
_frozen_param3 = None  # device(type='cpu') torch.float32 (384,) (1,) 7f18d8a43390
_frozen_param4 = None  # device(type='cpu') torch.float32 (384,) (1,) 7f18d8a430c0
_frozen_param6 = None  # device(type='cpu') torch.float32 (384,) (1,) 7f18d8c93fc0
_frozen_param8 = None  # device(type='cpu') torch.float32 (384,) (1,) 7f18d8a705f0
_frozen_param10 = None  # device(type='cpu') torch.float32 (384,) (1,) 7f18d8a70eb0
_frozen_param12 = None  # device(type='cpu') torch.float32 (384,) (1,) 7f18d8a701e0
_frozen_param13 = None  # device(type='cpu') torch.float32 (384,) (1,) 7f18e3a31310
_frozen_param14 = None  # device(type='cpu') torch.float32 (384,) (1,) 7f18d8c832a0
_frozen_param16 = None  # device(type='cpu') torch.float32 (1536,) (1,) 7f18d8a713b0
_frozen_param18 = None  # device(type='cpu') torch.float32 (384,) (1,) 7f18d8a71d60
_frozen_param19 = None  # device(type='cpu') torch.float32 (384,) (1,) 7f18d8a71b30
_frozen_param20 = None  # device(type='cpu') torch.float32 (384,) (1,) 7f18d8a718b0
_frozen_param22 = None  # device(type='cpu') torch.float32 (384,) (1,) 7f18d8a73200
_frozen_param24 = None  # device(type='cpu') torch.float32 (384,) (1,) 7f18d8a72c60
_frozen_param26 = None  # device(type='cpu') torch.float32 (384,) (1,) 7f18d8a737a0
_frozen_param28 = None  # device(type='cpu') torch.float32 (384,) (1,) 7f18d8a727b0
_frozen_param29 = None  # device(type='cpu') torch.float32 (384,) (1,) 7f18d926e580
_frozen_param30 = None  # device(type='cpu') torch.float32 (384,) (1,) 7f18da3d8e60
_frozen_param32 = None  # device(type='cpu') torch.float32 (1536,) (1,) 7f18d8a73d40
_frozen_param34 = None  # device(type='cpu') torch.float32 (384,) (1,) 7f18d8a7cb40
_frozen_param35 = None  # device(type='cpu') torch.float32 (384,) (1,) 7f18d8a7c6e0
_frozen_param36 = None  # device(type='cpu') torch.float32 (384,) (1,) 7f18d8a7c410
_frozen_param38 = None  # device(type='cpu') torch.float32 (384,) (1,) 7f18d8a7e030
_frozen_param40 = None  # device(type='cpu') torch.float32 (384,) (1,) 7f18d8a7da90
_frozen_param42 = None  # device(type='cpu') torch.float32 (384,) (1,) 7f18da0b0500
_frozen_param44 = None  # device(type='cpu') torch.float32 (384,) (1,) 7f18d8a7d4f0
_frozen_param45 = None  # device(type='cpu') torch.float32 (384,) (1,) 7f18d8a7d220
_frozen_param46 = None  # device(type='cpu') torch.float32 (384,) (1,) 7f18d8a7cf50
_frozen_param48 = None  # device(type='cpu') torch.float32 (1536,) (1,) 7f18d8a7eb70
_frozen_param50 = None  # device(type='cpu') torch.float32 (384,) (1,) 7f18d8a7f840
_frozen_param51 = None  # device(type='cpu') torch.float32 (384,) (1,) 7f18d8a7f3e0
_frozen_param52 = None  # device(type='cpu') torch.float32 (384,) (1,) 7f18d8a7f110
_frozen_param54 = None  # device(type='cpu') torch.float32 (384,) (1,) 7f18d8a88d70
_frozen_param56 = None  # device(type='cpu') torch.float32 (384,) (1,) 7f18d8a887d0
_frozen_param58 = None  # device(type='cpu') torch.float32 (384,) (1,) 7f18d8a89310
_frozen_param60 = None  # device(type='cpu') torch.float32 (384,) (1,) 7f18d8a88230
_frozen_param61 = None  # device(type='cpu') torch.float32 (384,) (1,) 7f18d8a880a0
_frozen_param62 = None  # device(type='cpu') torch.float32 (384,) (1,) 7f18d8a7fc50
_frozen_param64 = None  # device(type='cpu') torch.float32 (1536,) (1,) 7f18d8a898b0
_frozen_param66 = None  # device(type='cpu') torch.float32 (384,) (1,) 7f18d8a8a580
_frozen_param67 = None  # device(type='cpu') torch.float32 (384,) (1,) 7f18d8a8a120
_frozen_param68 = None  # device(type='cpu') torch.float32 (384,) (1,) 7f18d8a89e50
_frozen_param70 = None  # device(type='cpu') torch.float32 (384,) (1,) 7f18e1da24e0
_frozen_param72 = None  # device(type='cpu') torch.float32 (384,) (1,) 7f18d8a8b4d0
_frozen_param74 = None  # device(type='cpu') torch.float32 (384,) (1,) 7f18d8a8bc50
_frozen_param76 = None  # device(type='cpu') torch.float32 (384,) (1,) 7f18d8a8af30
_frozen_param77 = None  # device(type='cpu') torch.float32 (384,) (1,) 7f18d8a8ac60
_frozen_param78 = None  # device(type='cpu') torch.float32 (384,) (1,) 7f18d8a8a990
_frozen_param80 = None  # device(type='cpu') torch.float32 (1536,) (1,) 7f18d8a8be80
_frozen_param82 = None  # device(type='cpu') torch.float32 (384,) (1,) 7f18d8a8ba70
_frozen_param83 = None  # device(type='cpu') torch.float32 (384,) (1,) 7f18d8a8bd90
_frozen_param84 = None  # device(type='cpu') torch.float32 (384,) (1,) 7f18d8a8bde0
_frozen_param86 = None  # device(type='cpu') torch.float32 (384,) (1,) 7f18d8c81db0
_frozen_param88 = None  # device(type='cpu') torch.float32 (384,) (1,) 7f18d8a8bb60
_frozen_param90 = None  # device(type='cpu') torch.float32 (384,) (1,) 7f18e05d5bd0
_frozen_param92 = None  # device(type='cpu') torch.float32 (384,) (1,) 7f18d8bfec60
_frozen_param93 = None  # device(type='cpu') torch.float32 (384,) (1,) 7f18d8a8bf20
_frozen_param94 = None  # device(type='cpu') torch.float32 (384,) (1,) 7f18d8a8bbb0
_frozen_param96 = None  # device(type='cpu') torch.float32 (1536,) (1,) 7f18d8a8b930
_frozen_param98 = None  # device(type='cpu') torch.float32 (384,) (1,) 7f18d8a8b7f0
_frozen_param99 = None  # device(type='cpu') torch.float32 (384,) (1,) 7f18d8a8b890
_frozen_param100 = None  # device(type='cpu') torch.float32 (384,) (1,) 7f18d8a8b8e0
_frozen_param105 = None  # device(type='cpu') torch.float32 (8, 128, 384) (49152, 384, 1) 7f18b00a25d0
_frozen_param106 = None  # device(type='cpu') torch.float32 (1, 128, 384) (49152, 384, 1) 7f18b00a07d0
_frozen_param143 = None  # device(type='cpu') torch.float32 (384, 384) (384, 1) 7f18c4329630
_frozen_param144 = None  # device(type='cpu') torch.float32 (1982689, 1) (1, 0) 7f18b3592d50
_frozen_param145 = None  # device(type='cpu') torch.float32 (384, 384) (384, 1) 7f18d354a850
_frozen_param146 = None  # device(type='cpu') torch.float32 (1982689, 1) (1, 0) 7f18d33a2210
_frozen_param147 = None  # device(type='cpu') torch.float32 (384, 384) (384, 1) 7f1886de3e30
_frozen_param148 = None  # device(type='cpu') torch.float32 (1982689, 1) (1, 0) 7f18b00e99f0
_frozen_param149 = None  # device(type='cpu') torch.float32 (384, 384) (384, 1) 7f18c4329770
_frozen_param150 = None  # device(type='cpu') torch.float32 (1982689, 1) (1, 0) 7f18b2f819a0
_frozen_param151 = None  # device(type='cpu') torch.float32 (1536, 384) (384, 1) 7f18b00a37a0
_frozen_param152 = None  # device(type='cpu') torch.float32 (2638049, 1) (1, 0) 7f18d31de5d0
_frozen_param153 = None  # device(type='cpu') torch.float32 (384, 1536) (1536, 1) 7f189a7843c0
_frozen_param154 = None  # device(type='cpu') torch.float32 (2638049, 1) (1, 0) 7f18d354b020
_frozen_param155 = None  # device(type='cpu') torch.float32 (384, 384) (384, 1) 7f18d31680f0
_frozen_param156 = None  # device(type='cpu') torch.float32 (1982689, 1) (1, 0) 7f189a7f6620
_frozen_param157 = None  # device(type='cpu') torch.float32 (384, 384) (384, 1) 7f18d31fcd70
_frozen_param158 = None  # device(type='cpu') torch.float32 (1982689, 1) (1, 0) 7f18b2e73480
_frozen_param159 = None  # device(type='cpu') torch.float32 (384, 384) (384, 1) 7f18b2e71cc0
_frozen_param160 = None  # device(type='cpu') torch.float32 (1982689, 1) (1, 0) 7f18b1923b60
_frozen_param161 = None  # device(type='cpu') torch.float32 (384, 384) (384, 1) 7f18b1921a40
_frozen_param162 = None  # device(type='cpu') torch.float32 (1982689, 1) (1, 0) 7f1886de8eb0
_frozen_param163 = None  # device(type='cpu') torch.float32 (1536, 384) (384, 1) 7f1886deab20
_frozen_param164 = None  # device(type='cpu') torch.float32 (2638049, 1) (1, 0) 7f1886de8050
_frozen_param165 = None  # device(type='cpu') torch.float32 (384, 1536) (1536, 1) 7f1886deaa30
_frozen_param166 = None  # device(type='cpu') torch.float32 (2638049, 1) (1, 0) 7f1886de8c30
_frozen_param167 = None  # device(type='cpu') torch.float32 (384, 384) (384, 1) 7f1886dea760
_frozen_param168 = None  # device(type='cpu') torch.float32 (1982689, 1) (1, 0) 7f1886deb660
_frozen_param169 = None  # device(type='cpu') torch.float32 (384, 384) (384, 1) 7f1886dead00
_frozen_param170 = None  # device(type='cpu') torch.float32 (1982689, 1) (1, 0) 7f1886deb9d0
_frozen_param171 = None  # device(type='cpu') torch.float32 (384, 384) (384, 1) 7f1886de9360
_frozen_param172 = None  # device(type='cpu') torch.float32 (1982689, 1) (1, 0) 7f1886debc00
_frozen_param173 = None  # device(type='cpu') torch.float32 (384, 384) (384, 1) 7f1886dea350
_frozen_param174 = None  # device(type='cpu') torch.float32 (1982689, 1) (1, 0) 7f1886de80f0
_frozen_param175 = None  # device(type='cpu') torch.float32 (1536, 384) (384, 1) 7f1886de97c0
_frozen_param176 = None  # device(type='cpu') torch.float32 (2638049, 1) (1, 0) 7f1886de91d0
_frozen_param177 = None  # device(type='cpu') torch.float32 (384, 1536) (1536, 1) 7f1886dea620
_frozen_param178 = None  # device(type='cpu') torch.float32 (2638049, 1) (1, 0) 7f1886de9680
_frozen_param179 = None  # device(type='cpu') torch.float32 (384, 384) (384, 1) 7f1886de93b0
_frozen_param180 = None  # device(type='cpu') torch.float32 (1982689, 1) (1, 0) 7f1886deaee0
_frozen_param181 = None  # device(type='cpu') torch.float32 (384, 384) (384, 1) 7f1886de9590
_frozen_param182 = None  # device(type='cpu') torch.float32 (1982689, 1) (1, 0) 7f1886debfc0
_frozen_param183 = None  # device(type='cpu') torch.float32 (384, 384) (384, 1) 7f1886de9b30
_frozen_param184 = None  # device(type='cpu') torch.float32 (1982689, 1) (1, 0) 7f1886de8dc0
_frozen_param185 = None  # device(type='cpu') torch.float32 (384, 384) (384, 1) 7f1886dea260
_frozen_param186 = None  # device(type='cpu') torch.float32 (1982689, 1) (1, 0) 7f1886dea8f0
_frozen_param187 = None  # device(type='cpu') torch.float32 (1536, 384) (384, 1) 7f1886dea990
_frozen_param188 = None  # device(type='cpu') torch.float32 (2638049, 1) (1, 0) 7f1886dea530
_frozen_param189 = None  # device(type='cpu') torch.float32 (384, 1536) (1536, 1) 7f1886dea6c0
_frozen_param190 = None  # device(type='cpu') torch.float32 (2638049, 1) (1, 0) 7f1886de81e0
_frozen_param191 = None  # device(type='cpu') torch.float32 (384, 384) (384, 1) 7f1886de86e0
_frozen_param192 = None  # device(type='cpu') torch.float32 (1982689, 1) (1, 0) 7f1886de8320
_frozen_param193 = None  # device(type='cpu') torch.float32 (384, 384) (384, 1) 7f1886deb340
_frozen_param194 = None  # device(type='cpu') torch.float32 (1982689, 1) (1, 0) 7f1886de9c70
_frozen_param195 = None  # device(type='cpu') torch.float32 (384, 384) (384, 1) 7f1886dea210
_frozen_param196 = None  # device(type='cpu') torch.float32 (1982689, 1) (1, 0) 7f1886debf20
_frozen_param197 = None  # device(type='cpu') torch.float32 (384, 384) (384, 1) 7f1886de8500
_frozen_param198 = None  # device(type='cpu') torch.float32 (1982689, 1) (1, 0) 7f1886de9f40
_frozen_param199 = None  # device(type='cpu') torch.float32 (1536, 384) (384, 1) 7f1886de9810
_frozen_param200 = None  # device(type='cpu') torch.float32 (2638049, 1) (1, 0) 7f1886dea850
_frozen_param201 = None  # device(type='cpu') torch.float32 (384, 1536) (1536, 1) 7f1886deab70
_frozen_param202 = None  # device(type='cpu') torch.float32 (2638049, 1) (1, 0) 7f1886dea490
_frozen_param203 = None  # device(type='cpu') torch.float32 (384, 384) (384, 1) 7f1886dea8a0
_frozen_param204 = None  # device(type='cpu') torch.float32 (1982689, 1) (1, 0) 7f1886dea670
_frozen_param205 = None  # device(type='cpu') torch.float32 (384, 384) (384, 1) 7f1886de9900
_frozen_param206 = None  # device(type='cpu') torch.float32 (1982689, 1) (1, 0) 7f1886dea940
_frozen_param207 = None  # device(type='cpu') torch.float32 (384, 384) (384, 1) 7f1886dea710
_frozen_param208 = None  # device(type='cpu') torch.float32 (1982689, 1) (1, 0) 7f1886deb110
_frozen_param209 = None  # device(type='cpu') torch.float32 (384, 384) (384, 1) 7f1886debcf0
_frozen_param210 = None  # device(type='cpu') torch.float32 (1982689, 1) (1, 0) 7f1886deaf80
_frozen_param211 = None  # device(type='cpu') torch.float32 (1536, 384) (384, 1) 7f1886de96d0
_frozen_param212 = None  # device(type='cpu') torch.float32 (2638049, 1) (1, 0) 7f1886debf70
_frozen_param213 = None  # device(type='cpu') torch.float32 (384, 1536) (1536, 1) 7f1886de8730
_frozen_param214 = None  # device(type='cpu') torch.float32 (2638049, 1) (1, 0) 7f1886de85a0


cpp_fused_add_embedding_native_layer_norm_select_0 = async_compile.cpp_pybinding(['float*', 'const int64_t*', 'const float*', 'const float*', 'const float*', 'const float*', 'const float*', 'float*', 'float*'], r'''
#include <torch/csrc/inductor/cpp_prefix.h>
extern "C"  void  kernel(float* in_out_ptr0,
                       const int64_t* in_ptr0,
                       const float* in_ptr1,
                       const float* in_ptr2,
                       const float* in_ptr3,
                       const float* in_ptr4,
                       const float* in_ptr5,
                       float* out_ptr1,
                       float* out_ptr2)
{
    std::atomic<int> inductor_cpu_integer_div_error{0};
    inductor_cpu_integer_div_error_flag = &inductor_cpu_integer_div_error;
    auto out_ptr0 = in_out_ptr0;
    {
        #pragma GCC ivdep
        for(int64_t x0=static_cast<int64_t>(0L); x0<static_cast<int64_t>(8L); x0+=static_cast<int64_t>(1L))
        {
            #pragma GCC ivdep
            for(int64_t x1=static_cast<int64_t>(0L); x1<static_cast<int64_t>(128L); x1+=static_cast<int64_t>(1L))
            {
                {
                    float tmp_acc0 = 0;
                    at::vec::Vectorized<float> tmp_acc0_vec = at::vec::Vectorized<float>(0);
                    for(int64_t x2=static_cast<int64_t>(0L); x2<static_cast<int64_t>(384L); x2+=static_cast<int64_t>(16L))
                    {
                        {
                            if(C10_LIKELY(x2 >= static_cast<int64_t>(0) && x2 < static_cast<int64_t>(384L)))
                            {
                                auto tmp0 = in_ptr0[static_cast<int64_t>(x1 + 256L*x0)];
                                auto tmp5 = at::vec::Vectorized<float>::loadu(in_ptr2 + static_cast<int64_t>(x2 + 384L*x1 + 49152L*x0), static_cast<int64_t>(16));
                                auto tmp7 = at::vec::Vectorized<float>::loadu(in_ptr3 + static_cast<int64_t>(x2 + 384L*x1), static_cast<int64_t>(16));
                                auto tmp1 = tmp0;
                                auto tmp2 = c10::convert<int64_t>(tmp1);
                                TORCH_CHECK((0 <= tmp2) & (tmp2 < 30522L), "index out of bounds: 0 <= tmp2 < 30522L");
                                auto tmp4 = at::vec::Vectorized<float>::loadu(in_ptr1 + static_cast<int64_t>(x2 + 384L*tmp0), static_cast<int64_t>(16));
                                auto tmp6 = tmp4 + tmp5;
                                auto tmp8 = tmp6 + tmp7;
                                tmp_acc0_vec = tmp_acc0_vec + tmp8;
                            }
                        }
                    }
                    tmp_acc0 = tmp_acc0 + at::vec::vec_reduce_all<float, 1>([](at::vec::Vectorized<float>& x, at::vec::Vectorized<float>& y) { return x + y; }, tmp_acc0_vec);
                    out_ptr0[static_cast<int64_t>(x1 + 128L*x0)] = static_cast<float>(tmp_acc0);
                }
            }
        }
    }
    {
        for(int64_t x0=static_cast<int64_t>(0L); x0<static_cast<int64_t>(1024L); x0+=static_cast<int64_t>(16L))
        {
            {
                if(C10_LIKELY(x0 >= static_cast<int64_t>(0) && x0 < static_cast<int64_t>(1024L)))
                {
                    auto tmp0 = at::vec::Vectorized<float>::loadu(out_ptr0 + static_cast<int64_t>(x0), static_cast<int64_t>(16));
                    auto tmp1 = static_cast<float>(384.0);
                    auto tmp2 = at::vec::Vectorized<float>(tmp1);
                    auto tmp3 = tmp0 / tmp2;
                    tmp3.store(in_out_ptr0 + static_cast<int64_t>(x0));
                }
            }
        }
    }
    {
        #pragma GCC ivdep
        for(int64_t x0=static_cast<int64_t>(0L); x0<static_cast<int64_t>(8L); x0+=static_cast<int64_t>(1L))
        {
            #pragma GCC ivdep
            for(int64_t x1=static_cast<int64_t>(0L); x1<static_cast<int64_t>(128L); x1+=static_cast<int64_t>(1L))
            {
                {
                    float tmp_acc0 = 0;
                    at::vec::Vectorized<float> tmp_acc0_vec = at::vec::Vectorized<float>(0);
                    for(int64_t x2=static_cast<int64_t>(0L); x2<static_cast<int64_t>(384L); x2+=static_cast<int64_t>(16L))
                    {
                        {
                            if(C10_LIKELY(x2 >= static_cast<int64_t>(0) && x2 < static_cast<int64_t>(384L)))
                            {
                                auto tmp0 = in_ptr0[static_cast<int64_t>(x1 + 256L*x0)];
                                auto tmp5 = at::vec::Vectorized<float>::loadu(in_ptr2 + static_cast<int64_t>(x2 + 384L*x1 + 49152L*x0), static_cast<int64_t>(16));
                                auto tmp7 = at::vec::Vectorized<float>::loadu(in_ptr3 + static_cast<int64_t>(x2 + 384L*x1), static_cast<int64_t>(16));
                                auto tmp9 = in_out_ptr0[static_cast<int64_t>(x1 + 128L*x0)];
                                auto tmp1 = tmp0;
                                auto tmp2 = c10::convert<int64_t>(tmp1);
                                TORCH_CHECK((0 <= tmp2) & (tmp2 < 30522L), "index out of bounds: 0 <= tmp2 < 30522L");
                                auto tmp4 = at::vec::Vectorized<float>::loadu(in_ptr1 + static_cast<int64_t>(x2 + 384L*tmp0), static_cast<int64_t>(16));
                                auto tmp6 = tmp4 + tmp5;
                                auto tmp8 = tmp6 + tmp7;
                                auto tmp10 = at::vec::Vectorized<float>(tmp9);
                                auto tmp11 = tmp8 - tmp10;
                                auto tmp12 = tmp11 * tmp11;
                                tmp_acc0_vec = tmp_acc0_vec + tmp12;
                            }
                        }
                    }
                    tmp_acc0 = tmp_acc0 + at::vec::vec_reduce_all<float, 1>([](at::vec::Vectorized<float>& x, at::vec::Vectorized<float>& y) { return x + y; }, tmp_acc0_vec);
                    out_ptr1[static_cast<int64_t>(x1 + 128L*x0)] = static_cast<float>(tmp_acc0);
                }
                for(int64_t x2=static_cast<int64_t>(0L); x2<static_cast<int64_t>(384L); x2+=static_cast<int64_t>(16L))
                {
                    {
                        if(C10_LIKELY(x2 >= static_cast<int64_t>(0) && x2 < static_cast<int64_t>(384L)))
                        {
                            auto tmp0 = in_ptr0[static_cast<int64_t>(x1 + 256L*x0)];
                            auto tmp5 = at::vec::Vectorized<float>::loadu(in_ptr2 + static_cast<int64_t>(x2 + 384L*x1 + 49152L*x0), static_cast<int64_t>(16));
                            auto tmp7 = at::vec::Vectorized<float>::loadu(in_ptr3 + static_cast<int64_t>(x2 + 384L*x1), static_cast<int64_t>(16));
                            auto tmp9 = in_out_ptr0[static_cast<int64_t>(x1 + 128L*x0)];
                            auto tmp12 = out_ptr1[static_cast<int64_t>(x1 + 128L*x0)];
                            auto tmp20 = at::vec::Vectorized<float>::loadu(in_ptr4 + static_cast<int64_t>(x2), static_cast<int64_t>(16));
                            auto tmp22 = at::vec::Vectorized<float>::loadu(in_ptr5 + static_cast<int64_t>(x2), static_cast<int64_t>(16));
                            auto tmp1 = tmp0;
                            auto tmp2 = c10::convert<int64_t>(tmp1);
                            TORCH_CHECK((0 <= tmp2) & (tmp2 < 30522L), "index out of bounds: 0 <= tmp2 < 30522L");
                            auto tmp4 = at::vec::Vectorized<float>::loadu(in_ptr1 + static_cast<int64_t>(x2 + 384L*tmp0), static_cast<int64_t>(16));
                            auto tmp6 = tmp4 + tmp5;
                            auto tmp8 = tmp6 + tmp7;
                            auto tmp10 = at::vec::Vectorized<float>(tmp9);
                            auto tmp11 = tmp8 - tmp10;
                            auto tmp13 = static_cast<float>(384.0);
                            auto tmp14 = tmp12 / tmp13;
                            auto tmp15 = static_cast<float>(1e-12);
                            auto tmp16 = float(tmp14 + tmp15);
                            auto tmp17 = 1 / std::sqrt(tmp16);
                            auto tmp18 = at::vec::Vectorized<float>(tmp17);
                            auto tmp19 = tmp11 * tmp18;
                            auto tmp21 = tmp19 * tmp20;
                            auto tmp23 = tmp21 + tmp22;
                            tmp23.store(out_ptr2 + static_cast<int64_t>(x2 + 384L*x1 + 49152L*x0));
                        }
                    }
                }
            }
        }
    }
    inductor_cpu_integer_div_error_flag = nullptr;
    inductor_cpu_throw_if_integer_div_error(inductor_cpu_integer_div_error);
}
''')


cpp_fused__scaled_dot_product_flash_attention_for_cpu__to_copy_add_addmm_arange_bitwise_and_expand_ge_index_new_ones_scalar_tensor_select_transpose_unsqueeze_view_where_1 = async_compile.cpp_pybinding(['float*', 'float*', 'float*', 'const float*', 'const float*', 'const float*', 'const int64_t*', 'float*', 'float*', 'float*', 'float*'], r'''
#include <torch/csrc/inductor/cpp_prefix.h>
extern "C"  void  kernel(float* in_out_ptr0,
                       float* in_out_ptr1,
                       float* in_out_ptr2,
                       const float* in_ptr0,
                       const float* in_ptr1,
                       const float* in_ptr2,
                       const int64_t* in_ptr3,
                       float* out_ptr0,
                       float* out_ptr1,
                       float* out_ptr2,
                       float* out_ptr3)
{
    std::atomic<int> inductor_cpu_integer_div_error{0};
    inductor_cpu_integer_div_error_flag = &inductor_cpu_integer_div_error;
    {
        #pragma GCC ivdep
        for(int64_t x0=static_cast<int64_t>(0L); x0<static_cast<int64_t>(1024L); x0+=static_cast<int64_t>(1L))
        {
            for(int64_t x1=static_cast<int64_t>(0L); x1<static_cast<int64_t>(384L); x1+=static_cast<int64_t>(16L))
            {
                {
                    if(C10_LIKELY(x1 >= static_cast<int64_t>(0) && x1 < static_cast<int64_t>(384L)))
                    {
                        auto tmp0 = at::vec::Vectorized<float>::loadu(in_out_ptr0 + static_cast<int64_t>(x1 + 384L*x0), static_cast<int64_t>(16));
                        auto tmp1 = at::vec::Vectorized<float>::loadu(in_ptr0 + static_cast<int64_t>(x1), static_cast<int64_t>(16));
                        auto tmp2 = tmp0 + tmp1;
                        tmp2.store(in_out_ptr0 + static_cast<int64_t>(x1 + 384L*x0));
                    }
                }
            }
        }
    }
    {
        #pragma GCC ivdep
        for(int64_t x0=static_cast<int64_t>(0L); x0<static_cast<int64_t>(1024L); x0+=static_cast<int64_t>(1L))
        {
            for(int64_t x1=static_cast<int64_t>(0L); x1<static_cast<int64_t>(384L); x1+=static_cast<int64_t>(16L))
            {
                {
                    if(C10_LIKELY(x1 >= static_cast<int64_t>(0) && x1 < static_cast<int64_t>(384L)))
                    {
                        auto tmp0 = at::vec::Vectorized<float>::loadu(in_out_ptr1 + static_cast<int64_t>(x1 + 384L*x0), static_cast<int64_t>(16));
                        auto tmp1 = at::vec::Vectorized<float>::loadu(in_ptr1 + static_cast<int64_t>(x1), static_cast<int64_t>(16));
                        auto tmp2 = tmp0 + tmp1;
                        tmp2.store(in_out_ptr1 + static_cast<int64_t>(x1 + 384L*x0));
                    }
                }
            }
        }
    }
    {
        #pragma GCC ivdep
        for(int64_t x0=static_cast<int64_t>(0L); x0<static_cast<int64_t>(1024L); x0+=static_cast<int64_t>(1L))
        {
            for(int64_t x1=static_cast<int64_t>(0L); x1<static_cast<int64_t>(384L); x1+=static_cast<int64_t>(16L))
            {
                {
                    if(C10_LIKELY(x1 >= static_cast<int64_t>(0) && x1 < static_cast<int64_t>(384L)))
                    {
                        auto tmp0 = at::vec::Vectorized<float>::loadu(in_out_ptr2 + static_cast<int64_t>(x1 + 384L*x0), static_cast<int64_t>(16));
                        auto tmp1 = at::vec::Vectorized<float>::loadu(in_ptr2 + static_cast<int64_t>(x1), static_cast<int64_t>(16));
                        auto tmp2 = tmp0 + tmp1;
                        tmp2.store(in_out_ptr2 + static_cast<int64_t>(x1 + 384L*x0));
                    }
                }
            }
        }
    }
    {
        #pragma GCC ivdep
        for(int64_t x0=static_cast<int64_t>(0L); x0<static_cast<int64_t>(8L); x0+=static_cast<int64_t>(1L))
        {
            #pragma GCC ivdep
            for(int64_t x1=static_cast<int64_t>(0L); x1<static_cast<int64_t>(128L); x1+=static_cast<int64_t>(1L))
            {
                for(int64_t x2=static_cast<int64_t>(0L); x2<static_cast<int64_t>(128L); x2+=static_cast<int64_t>(16L))
                {
                    {
                        if(C10_LIKELY(x2 >= static_cast<int64_t>(0) && x2 < static_cast<int64_t>(128L)))
                        {
                            auto tmp6 = at::vec::VectorizedN<int64_t,2>::loadu(in_ptr3 + static_cast<int64_t>(128L + x2 + 256L*x0), static_cast<int64_t>(16));
                            auto tmp0 = x1;
                            auto tmp1 = c10::convert<int64_t>(tmp0);
                            auto tmp2 = static_cast<int64_t>(0);
                            auto tmp3 = tmp1 >= tmp2;
                            auto tmp4 = static_cast<bool>(true);
                            auto tmp5 = decltype(tmp4)(tmp4 & tmp3);
                            auto tmp7 = at::vec::VecMask<int64_t,2>::from<int64_t,2>(tmp6);
                            auto tmp8 = at::vec::VecMask<float,1>::from(tmp5);
                            auto tmp9 = tmp8.template cast<int32_t,1>();
                            auto tmp10 = tmp7.template cast<int32_t,1>();
                            auto tmp11 = tmp9 & tmp10;
                            auto tmp12 = static_cast<float>(0.0);
                            auto tmp13 = -std::numeric_limits<float>::infinity();
                            auto tmp14 = at::vec::Vectorized<float>(tmp12);
                            auto tmp15 = at::vec::Vectorized<float>(tmp13);
                            auto tmp16 = decltype(tmp14)::blendv(tmp15, tmp14, tmp11.template cast<float,1>());
                            tmp16.store(out_ptr0 + static_cast<int64_t>(x2 + 128L*x1 + 16384L*x0));
                            tmp16.store(out_ptr1 + static_cast<int64_t>(x2 + 128L*x1 + 16384L*x0));
                            tmp16.store(out_ptr2 + static_cast<int64_t>(x2 + 128L*x1 + 16384L*x0));
                            tmp16.store(out_ptr3 + static_cast<int64_t>(x2 + 128L*x1 + 16384L*x0));
                        }
                    }
                }
            }
        }
    }
    inductor_cpu_integer_div_error_flag = nullptr;
    inductor_cpu_throw_if_integer_div_error(inductor_cpu_integer_div_error);
}
''')


cpp_fused_add_addmm_native_layer_norm_transpose_view_2 = async_compile.cpp_pybinding(['float*', 'float*', 'const float*', 'const float*', 'const float*', 'const float*', 'float*'], r'''
#include <torch/csrc/inductor/cpp_prefix.h>
extern "C"  void  kernel(float* in_out_ptr0,
                       float* in_out_ptr1,
                       const float* in_ptr1,
                       const float* in_ptr2,
                       const float* in_ptr3,
                       const float* in_ptr4,
                       float* out_ptr1)
{
    std::atomic<int> inductor_cpu_integer_div_error{0};
    inductor_cpu_integer_div_error_flag = &inductor_cpu_integer_div_error;
    auto out_ptr0 = in_out_ptr0;
    auto in_ptr0 = in_out_ptr1;
    {
        #pragma GCC ivdep
        for(int64_t x0=static_cast<int64_t>(0L); x0<static_cast<int64_t>(1024L); x0+=static_cast<int64_t>(1L))
        {
            {
                float tmp_acc0 = 0;
                at::vec::Vectorized<float> tmp_acc0_vec = at::vec::Vectorized<float>(0);
                for(int64_t x1=static_cast<int64_t>(0L); x1<static_cast<int64_t>(384L); x1+=static_cast<int64_t>(16L))
                {
                    {
                        if(C10_LIKELY(x1 >= static_cast<int64_t>(0) && x1 < static_cast<int64_t>(384L)))
                        {
                            auto tmp0 = at::vec::Vectorized<float>::loadu(in_out_ptr1 + static_cast<int64_t>(x1 + 384L*x0), static_cast<int64_t>(16));
                            auto tmp1 = at::vec::Vectorized<float>::loadu(in_ptr1 + static_cast<int64_t>(x1), static_cast<int64_t>(16));
                            auto tmp3 = at::vec::Vectorized<float>::loadu(in_ptr2 + static_cast<int64_t>(x1 + 384L*x0), static_cast<int64_t>(16));
                            auto tmp2 = tmp0 + tmp1;
                            auto tmp4 = tmp2 + tmp3;
                            tmp_acc0_vec = tmp_acc0_vec + tmp4;
                        }
                    }
                }
                tmp_acc0 = tmp_acc0 + at::vec::vec_reduce_all<float, 1>([](at::vec::Vectorized<float>& x, at::vec::Vectorized<float>& y) { return x + y; }, tmp_acc0_vec);
                in_out_ptr0[static_cast<int64_t>(x0)] = static_cast<float>(tmp_acc0);
            }
        }
    }
    {
        for(int64_t x0=static_cast<int64_t>(0L); x0<static_cast<int64_t>(1024L); x0+=static_cast<int64_t>(16L))
        {
            {
                if(C10_LIKELY(x0 >= static_cast<int64_t>(0) && x0 < static_cast<int64_t>(1024L)))
                {
                    auto tmp0 = at::vec::Vectorized<float>::loadu(out_ptr0 + static_cast<int64_t>(x0), static_cast<int64_t>(16));
                    auto tmp1 = static_cast<float>(384.0);
                    auto tmp2 = at::vec::Vectorized<float>(tmp1);
                    auto tmp3 = tmp0 / tmp2;
                    tmp3.store(in_out_ptr0 + static_cast<int64_t>(x0));
                }
            }
        }
    }
    {
        #pragma GCC ivdep
        for(int64_t x0=static_cast<int64_t>(0L); x0<static_cast<int64_t>(1024L); x0+=static_cast<int64_t>(1L))
        {
            {
                float tmp_acc0 = 0;
                at::vec::Vectorized<float> tmp_acc0_vec = at::vec::Vectorized<float>(0);
                for(int64_t x1=static_cast<int64_t>(0L); x1<static_cast<int64_t>(384L); x1+=static_cast<int64_t>(16L))
                {
                    {
                        if(C10_LIKELY(x1 >= static_cast<int64_t>(0) && x1 < static_cast<int64_t>(384L)))
                        {
                            auto tmp0 = at::vec::Vectorized<float>::loadu(in_out_ptr1 + static_cast<int64_t>(x1 + 384L*x0), static_cast<int64_t>(16));
                            auto tmp1 = at::vec::Vectorized<float>::loadu(in_ptr1 + static_cast<int64_t>(x1), static_cast<int64_t>(16));
                            auto tmp3 = at::vec::Vectorized<float>::loadu(in_ptr2 + static_cast<int64_t>(x1 + 384L*x0), static_cast<int64_t>(16));
                            auto tmp5 = in_out_ptr0[static_cast<int64_t>(x0)];
                            auto tmp2 = tmp0 + tmp1;
                            auto tmp4 = tmp2 + tmp3;
                            auto tmp6 = at::vec::Vectorized<float>(tmp5);
                            auto tmp7 = tmp4 - tmp6;
                            auto tmp8 = tmp7 * tmp7;
                            tmp_acc0_vec = tmp_acc0_vec + tmp8;
                        }
                    }
                }
                tmp_acc0 = tmp_acc0 + at::vec::vec_reduce_all<float, 1>([](at::vec::Vectorized<float>& x, at::vec::Vectorized<float>& y) { return x + y; }, tmp_acc0_vec);
                out_ptr1[static_cast<int64_t>(x0)] = static_cast<float>(tmp_acc0);
            }
        }
    }
    {
        #pragma GCC ivdep
        for(int64_t x0=static_cast<int64_t>(0L); x0<static_cast<int64_t>(1024L); x0+=static_cast<int64_t>(1L))
        {
            for(int64_t x1=static_cast<int64_t>(0L); x1<static_cast<int64_t>(384L); x1+=static_cast<int64_t>(16L))
            {
                {
                    if(C10_LIKELY(x1 >= static_cast<int64_t>(0) && x1 < static_cast<int64_t>(384L)))
                    {
                        auto tmp0 = at::vec::Vectorized<float>::loadu(in_out_ptr1 + static_cast<int64_t>(x1 + 384L*x0), static_cast<int64_t>(16));
                        auto tmp1 = at::vec::Vectorized<float>::loadu(in_ptr1 + static_cast<int64_t>(x1), static_cast<int64_t>(16));
                        auto tmp3 = at::vec::Vectorized<float>::loadu(in_ptr2 + static_cast<int64_t>(x1 + 384L*x0), static_cast<int64_t>(16));
                        auto tmp5 = in_out_ptr0[static_cast<int64_t>(x0)];
                        auto tmp8 = out_ptr1[static_cast<int64_t>(x0)];
                        auto tmp16 = at::vec::Vectorized<float>::loadu(in_ptr3 + static_cast<int64_t>(x1), static_cast<int64_t>(16));
                        auto tmp18 = at::vec::Vectorized<float>::loadu(in_ptr4 + static_cast<int64_t>(x1), static_cast<int64_t>(16));
                        auto tmp2 = tmp0 + tmp1;
                        auto tmp4 = tmp2 + tmp3;
                        auto tmp6 = at::vec::Vectorized<float>(tmp5);
                        auto tmp7 = tmp4 - tmp6;
                        auto tmp9 = static_cast<float>(384.0);
                        auto tmp10 = tmp8 / tmp9;
                        auto tmp11 = static_cast<float>(1e-12);
                        auto tmp12 = float(tmp10 + tmp11);
                        auto tmp13 = 1 / std::sqrt(tmp12);
                        auto tmp14 = at::vec::Vectorized<float>(tmp13);
                        auto tmp15 = tmp7 * tmp14;
                        auto tmp17 = tmp15 * tmp16;
                        auto tmp19 = tmp17 + tmp18;
                        tmp19.store(in_out_ptr1 + static_cast<int64_t>(x1 + 384L*x0));
                    }
                }
            }
        }
    }
    inductor_cpu_integer_div_error_flag = nullptr;
    inductor_cpu_throw_if_integer_div_error(inductor_cpu_integer_div_error);
}
''')


cpp_fused_addmm_gelu_view_3 = async_compile.cpp_pybinding(['float*', 'const float*'], r'''
#include <torch/csrc/inductor/cpp_prefix.h>
extern "C"  void  kernel(float* in_out_ptr0,
                       const float* in_ptr0)
{
    std::atomic<int> inductor_cpu_integer_div_error{0};
    inductor_cpu_integer_div_error_flag = &inductor_cpu_integer_div_error;
    {
        #pragma GCC ivdep
        for(int64_t x0=static_cast<int64_t>(0L); x0<static_cast<int64_t>(1024L); x0+=static_cast<int64_t>(1L))
        {
            for(int64_t x1=static_cast<int64_t>(0L); x1<static_cast<int64_t>(1536L); x1+=static_cast<int64_t>(16L))
            {
                {
                    if(C10_LIKELY(x1 >= static_cast<int64_t>(0) && x1 < static_cast<int64_t>(1536L)))
                    {
                        auto tmp0 = at::vec::Vectorized<float>::loadu(in_out_ptr0 + static_cast<int64_t>(x1 + 1536L*x0), static_cast<int64_t>(16));
                        auto tmp1 = at::vec::Vectorized<float>::loadu(in_ptr0 + static_cast<int64_t>(x1), static_cast<int64_t>(16));
                        auto tmp2 = tmp0 + tmp1;
                        auto tmp3 = static_cast<float>(0.5);
                        auto tmp4 = at::vec::Vectorized<float>(tmp3);
                        auto tmp5 = tmp2 * tmp4;
                        auto tmp6 = static_cast<float>(0.7071067811865476);
                        auto tmp7 = at::vec::Vectorized<float>(tmp6);
                        auto tmp8 = tmp2 * tmp7;
                        auto tmp9 = tmp8.erf();
                        auto tmp10 = static_cast<float>(1.0);
                        auto tmp11 = at::vec::Vectorized<float>(tmp10);
                        auto tmp12 = tmp9 + tmp11;
                        auto tmp13 = tmp5 * tmp12;
                        tmp13.store(in_out_ptr0 + static_cast<int64_t>(x1 + 1536L*x0));
                    }
                }
            }
        }
    }
    inductor_cpu_integer_div_error_flag = nullptr;
    inductor_cpu_throw_if_integer_div_error(inductor_cpu_integer_div_error);
}
''')


cpp_fused__scaled_dot_product_flash_attention_for_cpu__to_copy_add_addmm_arange_bitwise_and_expand_ge_index_new_ones_scalar_tensor_select_transpose_unsqueeze_view_where_4 = async_compile.cpp_pybinding(['float*', 'float*', 'float*', 'const float*', 'const float*', 'const float*'], r'''
#include <torch/csrc/inductor/cpp_prefix.h>
extern "C"  void  kernel(float* in_out_ptr0,
                       float* in_out_ptr1,
                       float* in_out_ptr2,
                       const float* in_ptr0,
                       const float* in_ptr1,
                       const float* in_ptr2)
{
    std::atomic<int> inductor_cpu_integer_div_error{0};
    inductor_cpu_integer_div_error_flag = &inductor_cpu_integer_div_error;
    {
        #pragma GCC ivdep
        for(int64_t x0=static_cast<int64_t>(0L); x0<static_cast<int64_t>(1024L); x0+=static_cast<int64_t>(1L))
        {
            for(int64_t x1=static_cast<int64_t>(0L); x1<static_cast<int64_t>(384L); x1+=static_cast<int64_t>(16L))
            {
                {
                    if(C10_LIKELY(x1 >= static_cast<int64_t>(0) && x1 < static_cast<int64_t>(384L)))
                    {
                        auto tmp0 = at::vec::Vectorized<float>::loadu(in_out_ptr0 + static_cast<int64_t>(x1 + 384L*x0), static_cast<int64_t>(16));
                        auto tmp1 = at::vec::Vectorized<float>::loadu(in_ptr0 + static_cast<int64_t>(x1), static_cast<int64_t>(16));
                        auto tmp2 = tmp0 + tmp1;
                        tmp2.store(in_out_ptr0 + static_cast<int64_t>(x1 + 384L*x0));
                    }
                }
            }
        }
    }
    {
        #pragma GCC ivdep
        for(int64_t x0=static_cast<int64_t>(0L); x0<static_cast<int64_t>(1024L); x0+=static_cast<int64_t>(1L))
        {
            for(int64_t x1=static_cast<int64_t>(0L); x1<static_cast<int64_t>(384L); x1+=static_cast<int64_t>(16L))
            {
                {
                    if(C10_LIKELY(x1 >= static_cast<int64_t>(0) && x1 < static_cast<int64_t>(384L)))
                    {
                        auto tmp0 = at::vec::Vectorized<float>::loadu(in_out_ptr1 + static_cast<int64_t>(x1 + 384L*x0), static_cast<int64_t>(16));
                        auto tmp1 = at::vec::Vectorized<float>::loadu(in_ptr1 + static_cast<int64_t>(x1), static_cast<int64_t>(16));
                        auto tmp2 = tmp0 + tmp1;
                        tmp2.store(in_out_ptr1 + static_cast<int64_t>(x1 + 384L*x0));
                    }
                }
            }
        }
    }
    {
        #pragma GCC ivdep
        for(int64_t x0=static_cast<int64_t>(0L); x0<static_cast<int64_t>(1024L); x0+=static_cast<int64_t>(1L))
        {
            for(int64_t x1=static_cast<int64_t>(0L); x1<static_cast<int64_t>(384L); x1+=static_cast<int64_t>(16L))
            {
                {
                    if(C10_LIKELY(x1 >= static_cast<int64_t>(0) && x1 < static_cast<int64_t>(384L)))
                    {
                        auto tmp0 = at::vec::Vectorized<float>::loadu(in_out_ptr2 + static_cast<int64_t>(x1 + 384L*x0), static_cast<int64_t>(16));
                        auto tmp1 = at::vec::Vectorized<float>::loadu(in_ptr2 + static_cast<int64_t>(x1), static_cast<int64_t>(16));
                        auto tmp2 = tmp0 + tmp1;
                        tmp2.store(in_out_ptr2 + static_cast<int64_t>(x1 + 384L*x0));
                    }
                }
            }
        }
    }
    inductor_cpu_integer_div_error_flag = nullptr;
    inductor_cpu_throw_if_integer_div_error(inductor_cpu_integer_div_error);
}
''')


cpp_fused__scaled_dot_product_flash_attention_for_cpu__to_copy_add_addmm_arange_bitwise_and_expand_ge_index_new_ones_scalar_tensor_select_transpose_unsqueeze_view_where_5 = async_compile.cpp_pybinding(['float*', 'float*', 'float*', 'const float*', 'const float*', 'const float*', 'const int64_t*', 'float*', 'float*'], r'''
#include <torch/csrc/inductor/cpp_prefix.h>
extern "C"  void  kernel(float* in_out_ptr0,
                       float* in_out_ptr1,
                       float* in_out_ptr2,
                       const float* in_ptr0,
                       const float* in_ptr1,
                       const float* in_ptr2,
                       const int64_t* in_ptr3,
                       float* out_ptr0,
                       float* out_ptr1)
{
    std::atomic<int> inductor_cpu_integer_div_error{0};
    inductor_cpu_integer_div_error_flag = &inductor_cpu_integer_div_error;
    {
        #pragma GCC ivdep
        for(int64_t x0=static_cast<int64_t>(0L); x0<static_cast<int64_t>(1024L); x0+=static_cast<int64_t>(1L))
        {
            for(int64_t x1=static_cast<int64_t>(0L); x1<static_cast<int64_t>(384L); x1+=static_cast<int64_t>(16L))
            {
                {
                    if(C10_LIKELY(x1 >= static_cast<int64_t>(0) && x1 < static_cast<int64_t>(384L)))
                    {
                        auto tmp0 = at::vec::Vectorized<float>::loadu(in_out_ptr0 + static_cast<int64_t>(x1 + 384L*x0), static_cast<int64_t>(16));
                        auto tmp1 = at::vec::Vectorized<float>::loadu(in_ptr0 + static_cast<int64_t>(x1), static_cast<int64_t>(16));
                        auto tmp2 = tmp0 + tmp1;
                        tmp2.store(in_out_ptr0 + static_cast<int64_t>(x1 + 384L*x0));
                    }
                }
            }
        }
    }
    {
        #pragma GCC ivdep
        for(int64_t x0=static_cast<int64_t>(0L); x0<static_cast<int64_t>(1024L); x0+=static_cast<int64_t>(1L))
        {
            for(int64_t x1=static_cast<int64_t>(0L); x1<static_cast<int64_t>(384L); x1+=static_cast<int64_t>(16L))
            {
                {
                    if(C10_LIKELY(x1 >= static_cast<int64_t>(0) && x1 < static_cast<int64_t>(384L)))
                    {
                        auto tmp0 = at::vec::Vectorized<float>::loadu(in_out_ptr1 + static_cast<int64_t>(x1 + 384L*x0), static_cast<int64_t>(16));
                        auto tmp1 = at::vec::Vectorized<float>::loadu(in_ptr1 + static_cast<int64_t>(x1), static_cast<int64_t>(16));
                        auto tmp2 = tmp0 + tmp1;
                        tmp2.store(in_out_ptr1 + static_cast<int64_t>(x1 + 384L*x0));
                    }
                }
            }
        }
    }
    {
        #pragma GCC ivdep
        for(int64_t x0=static_cast<int64_t>(0L); x0<static_cast<int64_t>(1024L); x0+=static_cast<int64_t>(1L))
        {
            for(int64_t x1=static_cast<int64_t>(0L); x1<static_cast<int64_t>(384L); x1+=static_cast<int64_t>(16L))
            {
                {
                    if(C10_LIKELY(x1 >= static_cast<int64_t>(0) && x1 < static_cast<int64_t>(384L)))
                    {
                        auto tmp0 = at::vec::Vectorized<float>::loadu(in_out_ptr2 + static_cast<int64_t>(x1 + 384L*x0), static_cast<int64_t>(16));
                        auto tmp1 = at::vec::Vectorized<float>::loadu(in_ptr2 + static_cast<int64_t>(x1), static_cast<int64_t>(16));
                        auto tmp2 = tmp0 + tmp1;
                        tmp2.store(in_out_ptr2 + static_cast<int64_t>(x1 + 384L*x0));
                    }
                }
            }
        }
    }
    {
        #pragma GCC ivdep
        for(int64_t x0=static_cast<int64_t>(0L); x0<static_cast<int64_t>(8L); x0+=static_cast<int64_t>(1L))
        {
            #pragma GCC ivdep
            for(int64_t x1=static_cast<int64_t>(0L); x1<static_cast<int64_t>(128L); x1+=static_cast<int64_t>(1L))
            {
                for(int64_t x2=static_cast<int64_t>(0L); x2<static_cast<int64_t>(128L); x2+=static_cast<int64_t>(16L))
                {
                    {
                        if(C10_LIKELY(x2 >= static_cast<int64_t>(0) && x2 < static_cast<int64_t>(128L)))
                        {
                            auto tmp6 = at::vec::VectorizedN<int64_t,2>::loadu(in_ptr3 + static_cast<int64_t>(128L + x2 + 256L*x0), static_cast<int64_t>(16));
                            auto tmp0 = x1;
                            auto tmp1 = c10::convert<int64_t>(tmp0);
                            auto tmp2 = static_cast<int64_t>(0);
                            auto tmp3 = tmp1 >= tmp2;
                            auto tmp4 = static_cast<bool>(true);
                            auto tmp5 = decltype(tmp4)(tmp4 & tmp3);
                            auto tmp7 = at::vec::VecMask<int64_t,2>::from<int64_t,2>(tmp6);
                            auto tmp8 = at::vec::VecMask<float,1>::from(tmp5);
                            auto tmp9 = tmp8.template cast<int32_t,1>();
                            auto tmp10 = tmp7.template cast<int32_t,1>();
                            auto tmp11 = tmp9 & tmp10;
                            auto tmp12 = static_cast<float>(0.0);
                            auto tmp13 = -std::numeric_limits<float>::infinity();
                            auto tmp14 = at::vec::Vectorized<float>(tmp12);
                            auto tmp15 = at::vec::Vectorized<float>(tmp13);
                            auto tmp16 = decltype(tmp14)::blendv(tmp15, tmp14, tmp11.template cast<float,1>());
                            tmp16.store(out_ptr0 + static_cast<int64_t>(x2 + 128L*x1 + 16384L*x0));
                            tmp16.store(out_ptr1 + static_cast<int64_t>(x2 + 128L*x1 + 16384L*x0));
                        }
                    }
                }
            }
        }
    }
    inductor_cpu_integer_div_error_flag = nullptr;
    inductor_cpu_throw_if_integer_div_error(inductor_cpu_integer_div_error);
}
''')


cpp_fused__to_copy_add_addmm_clamp_clamp_min_div_expand_gelu_linalg_vector_norm_mul_native_layer_norm_select_sum_unsqueeze_view_6 = async_compile.cpp_pybinding(['float*', 'float*', 'const float*', 'const float*', 'const float*', 'const int64_t*', 'const float*', 'const float*', 'float*', 'float*', 'float*'], r'''
#include <torch/csrc/inductor/cpp_prefix.h>
extern "C"  void  kernel(float* in_out_ptr0,
                       float* in_out_ptr1,
                       const float* in_ptr0,
                       const float* in_ptr1,
                       const float* in_ptr2,
                       const int64_t* in_ptr3,
                       const float* in_ptr4,
                       const float* in_ptr5,
                       float* out_ptr1,
                       float* out_ptr2,
                       float* out_ptr4)
{
    std::atomic<int> inductor_cpu_integer_div_error{0};
    inductor_cpu_integer_div_error_flag = &inductor_cpu_integer_div_error;
    auto out_ptr0 = in_out_ptr0;
    auto out_ptr3 = in_out_ptr1;
    {
        #pragma GCC ivdep
        for(int64_t x0=static_cast<int64_t>(0L); x0<static_cast<int64_t>(1024L); x0+=static_cast<int64_t>(1L))
        {
            {
                float tmp_acc0 = 0;
                at::vec::Vectorized<float> tmp_acc0_vec = at::vec::Vectorized<float>(0);
                for(int64_t x1=static_cast<int64_t>(0L); x1<static_cast<int64_t>(384L); x1+=static_cast<int64_t>(16L))
                {
                    {
                        if(C10_LIKELY(x1 >= static_cast<int64_t>(0) && x1 < static_cast<int64_t>(384L)))
                        {
                            auto tmp0 = at::vec::Vectorized<float>::loadu(in_ptr0 + static_cast<int64_t>(x1 + 384L*x0), static_cast<int64_t>(16));
                            auto tmp1 = at::vec::Vectorized<float>::loadu(in_ptr1 + static_cast<int64_t>(x1), static_cast<int64_t>(16));
                            auto tmp3 = at::vec::Vectorized<float>::loadu(in_ptr2 + static_cast<int64_t>(x1 + 384L*x0), static_cast<int64_t>(16));
                            auto tmp2 = tmp0 + tmp1;
                            auto tmp4 = tmp2 + tmp3;
                            tmp_acc0_vec = tmp_acc0_vec + tmp4;
                        }
                    }
                }
                tmp_acc0 = tmp_acc0 + at::vec::vec_reduce_all<float, 1>([](at::vec::Vectorized<float>& x, at::vec::Vectorized<float>& y) { return x + y; }, tmp_acc0_vec);
                in_out_ptr0[static_cast<int64_t>(x0)] = static_cast<float>(tmp_acc0);
            }
        }
    }
    {
        for(int64_t x0=static_cast<int64_t>(0L); x0<static_cast<int64_t>(1024L); x0+=static_cast<int64_t>(16L))
        {
            {
                if(C10_LIKELY(x0 >= static_cast<int64_t>(0) && x0 < static_cast<int64_t>(1024L)))
                {
                    auto tmp0 = at::vec::Vectorized<float>::loadu(out_ptr0 + static_cast<int64_t>(x0), static_cast<int64_t>(16));
                    auto tmp1 = static_cast<float>(384.0);
                    auto tmp2 = at::vec::Vectorized<float>(tmp1);
                    auto tmp3 = tmp0 / tmp2;
                    tmp3.store(in_out_ptr0 + static_cast<int64_t>(x0));
                }
            }
        }
    }
    {
        #pragma GCC ivdep
        for(int64_t x0=static_cast<int64_t>(0L); x0<static_cast<int64_t>(1024L); x0+=static_cast<int64_t>(1L))
        {
            {
                float tmp_acc0 = 0;
                at::vec::Vectorized<float> tmp_acc0_vec = at::vec::Vectorized<float>(0);
                for(int64_t x1=static_cast<int64_t>(0L); x1<static_cast<int64_t>(384L); x1+=static_cast<int64_t>(16L))
                {
                    {
                        if(C10_LIKELY(x1 >= static_cast<int64_t>(0) && x1 < static_cast<int64_t>(384L)))
                        {
                            auto tmp0 = at::vec::Vectorized<float>::loadu(in_ptr0 + static_cast<int64_t>(x1 + 384L*x0), static_cast<int64_t>(16));
                            auto tmp1 = at::vec::Vectorized<float>::loadu(in_ptr1 + static_cast<int64_t>(x1), static_cast<int64_t>(16));
                            auto tmp3 = at::vec::Vectorized<float>::loadu(in_ptr2 + static_cast<int64_t>(x1 + 384L*x0), static_cast<int64_t>(16));
                            auto tmp5 = in_out_ptr0[static_cast<int64_t>(x0)];
                            auto tmp2 = tmp0 + tmp1;
                            auto tmp4 = tmp2 + tmp3;
                            auto tmp6 = at::vec::Vectorized<float>(tmp5);
                            auto tmp7 = tmp4 - tmp6;
                            auto tmp8 = tmp7 * tmp7;
                            tmp_acc0_vec = tmp_acc0_vec + tmp8;
                        }
                    }
                }
                tmp_acc0 = tmp_acc0 + at::vec::vec_reduce_all<float, 1>([](at::vec::Vectorized<float>& x, at::vec::Vectorized<float>& y) { return x + y; }, tmp_acc0_vec);
                out_ptr1[static_cast<int64_t>(x0)] = static_cast<float>(tmp_acc0);
            }
        }
    }
    {
        #pragma GCC ivdep
        for(int64_t x0=static_cast<int64_t>(0L); x0<static_cast<int64_t>(8L); x0+=static_cast<int64_t>(1L))
        {
            {
                float tmp_acc0 = 0;
                at::vec::Vectorized<float> tmp_acc0_vec = at::vec::Vectorized<float>(0);
                for(int64_t x1=static_cast<int64_t>(0L); x1<static_cast<int64_t>(128L); x1+=static_cast<int64_t>(16L))
                {
                    {
                        if(C10_LIKELY(x1 >= static_cast<int64_t>(0) && x1 < static_cast<int64_t>(128L)))
                        {
                            auto tmp0 = at::vec::VectorizedN<int64_t,2>::loadu(in_ptr3 + static_cast<int64_t>(128L + x1 + 256L*x0), static_cast<int64_t>(16));
                            auto tmp1 = at::vec::convert<float,1,int64_t,2>(tmp0);
                            tmp_acc0_vec = tmp_acc0_vec + tmp1;
                        }
                    }
                }
                tmp_acc0 = tmp_acc0 + at::vec::vec_reduce_all<float, 1>([](at::vec::Vectorized<float>& x, at::vec::Vectorized<float>& y) { return x + y; }, tmp_acc0_vec);
                out_ptr2[static_cast<int64_t>(x0)] = static_cast<float>(tmp_acc0);
            }
            for(int64_t x1=static_cast<int64_t>(0L); x1<static_cast<int64_t>(384L); x1+=static_cast<int64_t>(16L))
            {
                {
                    float tmp_acc0 = 0;
                    at::vec::Vectorized<float> tmp_acc0_vec = at::vec::Vectorized<float>(0);
                    for(int64_t x2=static_cast<int64_t>(0L); x2<static_cast<int64_t>(128L); x2+=static_cast<int64_t>(1L))
                    {
                        {
                            if(C10_LIKELY(x1 >= static_cast<int64_t>(0) && x1 < static_cast<int64_t>(384L)))
                            {
                                auto tmp0 = at::vec::Vectorized<float>::loadu(in_ptr0 + static_cast<int64_t>(x1 + 384L*x2 + 49152L*x0), static_cast<int64_t>(16));
                                auto tmp1 = at::vec::Vectorized<float>::loadu(in_ptr1 + static_cast<int64_t>(x1), static_cast<int64_t>(16));
                                auto tmp3 = at::vec::Vectorized<float>::loadu(in_ptr2 + static_cast<int64_t>(x1 + 384L*x2 + 49152L*x0), static_cast<int64_t>(16));
                                auto tmp5 = in_out_ptr0[static_cast<int64_t>(x2 + 128L*x0)];
                                auto tmp8 = out_ptr1[static_cast<int64_t>(x2 + 128L*x0)];
                                auto tmp16 = at::vec::Vectorized<float>::loadu(in_ptr4 + static_cast<int64_t>(x1), static_cast<int64_t>(16));
                                auto tmp18 = at::vec::Vectorized<float>::loadu(in_ptr5 + static_cast<int64_t>(x1), static_cast<int64_t>(16));
                                auto tmp20 = in_ptr3[static_cast<int64_t>(128L + x2 + 256L*x0)];
                                auto tmp2 = tmp0 + tmp1;
                                auto tmp4 = tmp2 + tmp3;
                                auto tmp6 = at::vec::Vectorized<float>(tmp5);
                                auto tmp7 = tmp4 - tmp6;
                                auto tmp9 = static_cast<float>(384.0);
                                auto tmp10 = tmp8 / tmp9;
                                auto tmp11 = static_cast<float>(1e-12);
                                auto tmp12 = float(tmp10 + tmp11);
                                auto tmp13 = 1 / std::sqrt(tmp12);
                                auto tmp14 = at::vec::Vectorized<float>(tmp13);
                                auto tmp15 = tmp7 * tmp14;
                                auto tmp17 = tmp15 * tmp16;
                                auto tmp19 = tmp17 + tmp18;
                                auto tmp21 = c10::convert<float>(tmp20);
                                auto tmp22 = at::vec::Vectorized<float>(tmp21);
                                auto tmp23 = tmp19 * tmp22;
                                tmp_acc0_vec = tmp_acc0_vec + tmp23;
                            }
                        }
                    }
                    if(C10_LIKELY(x1 >= static_cast<int64_t>(0) && x1 < static_cast<int64_t>(384L)))
                    {
                        tmp_acc0_vec.store(out_ptr3 + static_cast<int64_t>(x1 + 384L*x0));
                    }
                }
            }
            {
                float tmp_acc0 = 0;
                at::vec::Vectorized<float> tmp_acc0_vec = at::vec::Vectorized<float>(0);
                for(int64_t x1=static_cast<int64_t>(0L); x1<static_cast<int64_t>(384L); x1+=static_cast<int64_t>(16L))
                {
                    {
                        if(C10_LIKELY(x1 >= static_cast<int64_t>(0) && x1 < static_cast<int64_t>(384L)))
                        {
                            auto tmp0 = at::vec::Vectorized<float>::loadu(out_ptr3 + static_cast<int64_t>(x1 + 384L*x0), static_cast<int64_t>(16));
                            auto tmp1 = out_ptr2[static_cast<int64_t>(x0)];
                            auto tmp2 = static_cast<float>(1e-09);
                            auto tmp3 = max_propagate_nan(tmp1, tmp2);
                            auto tmp4 = at::vec::Vectorized<float>(tmp3);
                            auto tmp5 = tmp0 / tmp4;
                            auto tmp6 = tmp5 * tmp5;
                            tmp_acc0_vec = tmp_acc0_vec + tmp6;
                        }
                    }
                }
                tmp_acc0 = tmp_acc0 + at::vec::vec_reduce_all<float, 1>([](at::vec::Vectorized<float>& x, at::vec::Vectorized<float>& y) { return x + y; }, tmp_acc0_vec);
                out_ptr4[static_cast<int64_t>(x0)] = static_cast<float>(tmp_acc0);
            }
            for(int64_t x1=static_cast<int64_t>(0L); x1<static_cast<int64_t>(384L); x1+=static_cast<int64_t>(16L))
            {
                {
                    if(C10_LIKELY(x1 >= static_cast<int64_t>(0) && x1 < static_cast<int64_t>(384L)))
                    {
                        auto tmp0 = at::vec::Vectorized<float>::loadu(out_ptr3 + static_cast<int64_t>(x1 + 384L*x0), static_cast<int64_t>(16));
                        auto tmp1 = out_ptr2[static_cast<int64_t>(x0)];
                        auto tmp6 = out_ptr4[static_cast<int64_t>(x0)];
                        auto tmp2 = static_cast<float>(1e-09);
                        auto tmp3 = max_propagate_nan(tmp1, tmp2);
                        auto tmp4 = at::vec::Vectorized<float>(tmp3);
                        auto tmp5 = tmp0 / tmp4;
                        auto tmp7 = std::sqrt(tmp6);
                        auto tmp8 = static_cast<float>(1e-12);
                        auto tmp9 = max_propagate_nan(tmp7, tmp8);
                        auto tmp10 = at::vec::Vectorized<float>(tmp9);
                        auto tmp11 = tmp5 / tmp10;
                        tmp11.store(in_out_ptr1 + static_cast<int64_t>(x1 + 384L*x0));
                    }
                }
            }
        }
    }
    inductor_cpu_integer_div_error_flag = nullptr;
    inductor_cpu_throw_if_integer_div_error(inductor_cpu_integer_div_error);
}
''')


async_compile.wait(globals())
del async_compile

class Runner:
    def __init__(self, partitions):
        self.partitions = partitions

    def recursively_apply_fns(self, fns):
        new_callables = []
        for fn, c in zip(fns, self.partitions):
            new_callables.append(fn(c))
        self.partitions = new_callables

    def call(self, args):
        arg105_1, = args
        args.clear()
        assert_size_stride(arg105_1, (8, 2, 128), (256, 128, 1), 'input')
        buf0 = empty_strided_cpu((8, 128, 1), (128, 1, 1024), torch.float32)
        buf1 = buf0; del buf0  # reuse
        buf2 = empty_strided_cpu((8, 128, 1), (128, 1, 1024), torch.float32)
        buf3 = empty_strided_cpu((8, 128, 384), (49152, 384, 1), torch.float32)
        cpp_fused_add_embedding_native_layer_norm_select_0(buf1, arg105_1, _frozen_param0, _frozen_param105, _frozen_param106, _frozen_param3, _frozen_param4, buf2, buf3)
        # Topologically Sorted Source Nodes: [linear], Original ATen: [aten.view, aten.addmm]
        buf4 = torch.ops.mkl._mkl_linear.default(reinterpret_tensor(buf3, (1024, 384), (384, 1), 0), _frozen_param144, _frozen_param143, None, 1024)
        assert_size_stride(buf4, (1024, 384), (384, 1), 'torch.ops.mkl._mkl_linear')
        # Topologically Sorted Source Nodes: [linear, linear_1], Original ATen: [aten.view, aten.addmm]
        buf5 = torch.ops.mkl._mkl_linear.default(reinterpret_tensor(buf3, (1024, 384), (384, 1), 0), _frozen_param146, _frozen_param145, None, 1024)
        assert_size_stride(buf5, (1024, 384), (384, 1), 'torch.ops.mkl._mkl_linear')
        # Topologically Sorted Source Nodes: [linear, linear_2], Original ATen: [aten.view, aten.addmm]
        buf6 = torch.ops.mkl._mkl_linear.default(reinterpret_tensor(buf3, (1024, 384), (384, 1), 0), _frozen_param148, _frozen_param147, None, 1024)
        assert_size_stride(buf6, (1024, 384), (384, 1), 'torch.ops.mkl._mkl_linear')
        buf7 = reinterpret_tensor(buf4, (8, 12, 128, 32), (49152, 32, 384, 1), 0); del buf4  # reuse
        buf8 = reinterpret_tensor(buf5, (8, 12, 128, 32), (49152, 32, 384, 1), 0); del buf5  # reuse
        buf9 = reinterpret_tensor(buf6, (8, 12, 128, 32), (49152, 32, 384, 1), 0); del buf6  # reuse
        buf10 = empty_strided_cpu((8, 1, 128, 128), (16384, 16384, 128, 1), torch.float32)
        buf32 = empty_strided_cpu((8, 1, 128, 128), (16384, 16384, 128, 1), torch.float32)
        buf54 = empty_strided_cpu((8, 1, 128, 128), (16384, 16384, 128, 1), torch.float32)
        buf76 = empty_strided_cpu((8, 1, 128, 128), (16384, 16384, 128, 1), torch.float32)
        cpp_fused__scaled_dot_product_flash_attention_for_cpu__to_copy_add_addmm_arange_bitwise_and_expand_ge_index_new_ones_scalar_tensor_select_transpose_unsqueeze_view_where_1(buf7, buf8, buf9, _frozen_param6, _frozen_param8, _frozen_param10, arg105_1, buf10, buf32, buf54, buf76)
        # Topologically Sorted Source Nodes: [linear, view, query_layer, linear_1, view_1, key_layer, linear_2, view_2, value_layer, result, arange_2, q_arange, q_indices, ge, result_1, mask, attention_mask, batch_arange, batch_indices, kv_indices, getitem_7, result_2, attention_mask_1, attn_output], Original ATen: [aten.view, aten.addmm, aten.transpose, aten.new_ones, aten.arange, aten.add, aten.unsqueeze, aten.ge, aten.bitwise_and, aten.select, aten._to_copy, aten.index, aten.expand, aten.scalar_tensor, aten.where, aten._scaled_dot_product_flash_attention_for_cpu]
        buf11 = torch.ops.aten._scaled_dot_product_flash_attention_for_cpu.default(buf7, buf8, buf9, attn_mask=buf10, scale=0.1767766952966369)
        del buf10
        del buf7
        del buf8
        del buf9
        buf12 = buf11[0]
        assert_size_stride(buf12, (8, 12, 128, 32), (49152, 32, 384, 1), 'torch.ops.aten._scaled_dot_product_flash_attention_for_cpu.default')
        assert_alignment(buf12, 16, 'torch.ops.aten._scaled_dot_product_flash_attention_for_cpu.default')
        del buf11
        # Topologically Sorted Source Nodes: [transpose_3, reshape_1, hidden_states], Original ATen: [aten.transpose, aten.view, aten.addmm]
        buf14 = torch.ops.mkl._mkl_linear.default(reinterpret_tensor(buf12, (1024, 384), (384, 1), 0), _frozen_param150, _frozen_param149, None, 1024)
        assert_size_stride(buf14, (1024, 384), (384, 1), 'torch.ops.mkl._mkl_linear')
        del buf12
        buf15 = buf2; del buf2  # reuse
        buf16 = buf15; del buf15  # reuse
        buf17 = buf1; del buf1  # reuse
        buf18 = reinterpret_tensor(buf14, (8, 128, 384), (49152, 384, 1), 0); del buf14  # reuse
        cpp_fused_add_addmm_native_layer_norm_transpose_view_2(buf16, buf18, _frozen_param12, buf3, _frozen_param13, _frozen_param14, buf17)
        del buf16
        del buf17
        del buf3
        # Topologically Sorted Source Nodes: [hidden_states_3], Original ATen: [aten.view, aten.addmm]
        buf19 = torch.ops.mkl._mkl_linear.default(reinterpret_tensor(buf18, (1024, 384), (384, 1), 0), _frozen_param152, _frozen_param151, None, 1024)
        assert_size_stride(buf19, (1024, 1536), (1536, 1), 'torch.ops.mkl._mkl_linear')
        buf20 = reinterpret_tensor(buf19, (8, 128, 1536), (196608, 1536, 1), 0); del buf19  # reuse
        cpp_fused_addmm_gelu_view_3(buf20, _frozen_param16)
        # Topologically Sorted Source Nodes: [hidden_states_3, hidden_states_4, hidden_states_5], Original ATen: [aten.view, aten.addmm, aten.gelu]
        buf21 = torch.ops.mkl._mkl_linear.default(reinterpret_tensor(buf20, (1024, 1536), (1536, 1), 0), _frozen_param154, _frozen_param153, None, 1024)
        assert_size_stride(buf21, (1024, 384), (384, 1), 'torch.ops.mkl._mkl_linear')
        del buf20
        buf22 = empty_strided_cpu((8, 128, 1), (128, 1, 1024), torch.float32)
        buf23 = buf22; del buf22  # reuse
        buf24 = empty_strided_cpu((8, 128, 1), (128, 1, 1024), torch.float32)
        buf25 = reinterpret_tensor(buf21, (8, 128, 384), (49152, 384, 1), 0); del buf21  # reuse
        cpp_fused_add_addmm_native_layer_norm_transpose_view_2(buf23, buf25, _frozen_param18, buf18, _frozen_param19, _frozen_param20, buf24)
        del buf18
        # Topologically Sorted Source Nodes: [linear_6], Original ATen: [aten.view, aten.addmm]
        buf26 = torch.ops.mkl._mkl_linear.default(reinterpret_tensor(buf25, (1024, 384), (384, 1), 0), _frozen_param156, _frozen_param155, None, 1024)
        assert_size_stride(buf26, (1024, 384), (384, 1), 'torch.ops.mkl._mkl_linear')
        # Topologically Sorted Source Nodes: [linear_6, linear_7], Original ATen: [aten.view, aten.addmm]
        buf27 = torch.ops.mkl._mkl_linear.default(reinterpret_tensor(buf25, (1024, 384), (384, 1), 0), _frozen_param158, _frozen_param157, None, 1024)
        assert_size_stride(buf27, (1024, 384), (384, 1), 'torch.ops.mkl._mkl_linear')
        # Topologically Sorted Source Nodes: [linear_6, linear_8], Original ATen: [aten.view, aten.addmm]
        buf28 = torch.ops.mkl._mkl_linear.default(reinterpret_tensor(buf25, (1024, 384), (384, 1), 0), _frozen_param160, _frozen_param159, None, 1024)
        assert_size_stride(buf28, (1024, 384), (384, 1), 'torch.ops.mkl._mkl_linear')
        buf29 = reinterpret_tensor(buf26, (8, 12, 128, 32), (49152, 32, 384, 1), 0); del buf26  # reuse
        buf30 = reinterpret_tensor(buf27, (8, 12, 128, 32), (49152, 32, 384, 1), 0); del buf27  # reuse
        buf31 = reinterpret_tensor(buf28, (8, 12, 128, 32), (49152, 32, 384, 1), 0); del buf28  # reuse
        cpp_fused__scaled_dot_product_flash_attention_for_cpu__to_copy_add_addmm_arange_bitwise_and_expand_ge_index_new_ones_scalar_tensor_select_transpose_unsqueeze_view_where_4(buf29, buf30, buf31, _frozen_param22, _frozen_param24, _frozen_param26)
        # Topologically Sorted Source Nodes: [result, arange_2, q_arange, q_indices, ge, result_1, mask, attention_mask, batch_arange, batch_indices, kv_indices, getitem_7, result_2, attention_mask_1, attn_output, linear_6, view_3, query_layer_1, linear_7, view_4, key_layer_1, linear_8, view_5, value_layer_1, attn_output_4], Original ATen: [aten.new_ones, aten.arange, aten.add, aten.unsqueeze, aten.ge, aten.bitwise_and, aten.select, aten._to_copy, aten.index, aten.expand, aten.scalar_tensor, aten.where, aten.view, aten.addmm, aten.transpose, aten._scaled_dot_product_flash_attention_for_cpu]
        buf33 = torch.ops.aten._scaled_dot_product_flash_attention_for_cpu.default(buf29, buf30, buf31, attn_mask=buf32, scale=0.1767766952966369)
        del buf29
        del buf30
        del buf31
        del buf32
        buf34 = buf33[0]
        assert_size_stride(buf34, (8, 12, 128, 32), (49152, 32, 384, 1), 'torch.ops.aten._scaled_dot_product_flash_attention_for_cpu.default')
        assert_alignment(buf34, 16, 'torch.ops.aten._scaled_dot_product_flash_attention_for_cpu.default')
        del buf33
        # Topologically Sorted Source Nodes: [transpose_7, reshape_3, hidden_states_8], Original ATen: [aten.transpose, aten.view, aten.addmm]
        buf36 = torch.ops.mkl._mkl_linear.default(reinterpret_tensor(buf34, (1024, 384), (384, 1), 0), _frozen_param162, _frozen_param161, None, 1024)
        assert_size_stride(buf36, (1024, 384), (384, 1), 'torch.ops.mkl._mkl_linear')
        del buf34
        buf37 = buf24; del buf24  # reuse
        buf38 = buf37; del buf37  # reuse
        buf39 = buf23; del buf23  # reuse
        buf40 = reinterpret_tensor(buf36, (8, 128, 384), (49152, 384, 1), 0); del buf36  # reuse
        cpp_fused_add_addmm_native_layer_norm_transpose_view_2(buf38, buf40, _frozen_param28, buf25, _frozen_param29, _frozen_param30, buf39)
        del buf25
        # Topologically Sorted Source Nodes: [hidden_states_11], Original ATen: [aten.view, aten.addmm]
        buf41 = torch.ops.mkl._mkl_linear.default(reinterpret_tensor(buf40, (1024, 384), (384, 1), 0), _frozen_param164, _frozen_param163, None, 1024)
        assert_size_stride(buf41, (1024, 1536), (1536, 1), 'torch.ops.mkl._mkl_linear')
        buf42 = reinterpret_tensor(buf41, (8, 128, 1536), (196608, 1536, 1), 0); del buf41  # reuse
        cpp_fused_addmm_gelu_view_3(buf42, _frozen_param32)
        # Topologically Sorted Source Nodes: [hidden_states_11, hidden_states_12, hidden_states_13], Original ATen: [aten.view, aten.addmm, aten.gelu]
        buf43 = torch.ops.mkl._mkl_linear.default(reinterpret_tensor(buf42, (1024, 1536), (1536, 1), 0), _frozen_param166, _frozen_param165, None, 1024)
        assert_size_stride(buf43, (1024, 384), (384, 1), 'torch.ops.mkl._mkl_linear')
        del buf42
        buf44 = buf39; del buf39  # reuse
        buf45 = buf44; del buf44  # reuse
        buf46 = buf38; del buf38  # reuse
        buf47 = reinterpret_tensor(buf43, (8, 128, 384), (49152, 384, 1), 0); del buf43  # reuse
        cpp_fused_add_addmm_native_layer_norm_transpose_view_2(buf45, buf47, _frozen_param34, buf40, _frozen_param35, _frozen_param36, buf46)
        del buf40
        # Topologically Sorted Source Nodes: [linear_12], Original ATen: [aten.view, aten.addmm]
        buf48 = torch.ops.mkl._mkl_linear.default(reinterpret_tensor(buf47, (1024, 384), (384, 1), 0), _frozen_param168, _frozen_param167, None, 1024)
        assert_size_stride(buf48, (1024, 384), (384, 1), 'torch.ops.mkl._mkl_linear')
        # Topologically Sorted Source Nodes: [linear_12, linear_13], Original ATen: [aten.view, aten.addmm]
        buf49 = torch.ops.mkl._mkl_linear.default(reinterpret_tensor(buf47, (1024, 384), (384, 1), 0), _frozen_param170, _frozen_param169, None, 1024)
        assert_size_stride(buf49, (1024, 384), (384, 1), 'torch.ops.mkl._mkl_linear')
        # Topologically Sorted Source Nodes: [linear_12, linear_14], Original ATen: [aten.view, aten.addmm]
        buf50 = torch.ops.mkl._mkl_linear.default(reinterpret_tensor(buf47, (1024, 384), (384, 1), 0), _frozen_param172, _frozen_param171, None, 1024)
        assert_size_stride(buf50, (1024, 384), (384, 1), 'torch.ops.mkl._mkl_linear')
        buf51 = reinterpret_tensor(buf48, (8, 12, 128, 32), (49152, 32, 384, 1), 0); del buf48  # reuse
        buf52 = reinterpret_tensor(buf49, (8, 12, 128, 32), (49152, 32, 384, 1), 0); del buf49  # reuse
        buf53 = reinterpret_tensor(buf50, (8, 12, 128, 32), (49152, 32, 384, 1), 0); del buf50  # reuse
        cpp_fused__scaled_dot_product_flash_attention_for_cpu__to_copy_add_addmm_arange_bitwise_and_expand_ge_index_new_ones_scalar_tensor_select_transpose_unsqueeze_view_where_4(buf51, buf52, buf53, _frozen_param38, _frozen_param40, _frozen_param42)
        # Topologically Sorted Source Nodes: [result, arange_2, q_arange, q_indices, ge, result_1, mask, attention_mask, batch_arange, batch_indices, kv_indices, getitem_7, result_2, attention_mask_1, attn_output, linear_12, view_6, query_layer_2, linear_13, view_7, key_layer_2, linear_14, view_8, value_layer_2, attn_output_8], Original ATen: [aten.new_ones, aten.arange, aten.add, aten.unsqueeze, aten.ge, aten.bitwise_and, aten.select, aten._to_copy, aten.index, aten.expand, aten.scalar_tensor, aten.where, aten.view, aten.addmm, aten.transpose, aten._scaled_dot_product_flash_attention_for_cpu]
        buf55 = torch.ops.aten._scaled_dot_product_flash_attention_for_cpu.default(buf51, buf52, buf53, attn_mask=buf54, scale=0.1767766952966369)
        del buf51
        del buf52
        del buf53
        buf56 = buf55[0]
        assert_size_stride(buf56, (8, 12, 128, 32), (49152, 32, 384, 1), 'torch.ops.aten._scaled_dot_product_flash_attention_for_cpu.default')
        assert_alignment(buf56, 16, 'torch.ops.aten._scaled_dot_product_flash_attention_for_cpu.default')
        del buf55
        # Topologically Sorted Source Nodes: [transpose_11, reshape_5, hidden_states_16], Original ATen: [aten.transpose, aten.view, aten.addmm]
        buf58 = torch.ops.mkl._mkl_linear.default(reinterpret_tensor(buf56, (1024, 384), (384, 1), 0), _frozen_param174, _frozen_param173, None, 1024)
        assert_size_stride(buf58, (1024, 384), (384, 1), 'torch.ops.mkl._mkl_linear')
        del buf56
        buf59 = buf46; del buf46  # reuse
        buf60 = buf59; del buf59  # reuse
        buf61 = buf45; del buf45  # reuse
        buf62 = reinterpret_tensor(buf58, (8, 128, 384), (49152, 384, 1), 0); del buf58  # reuse
        cpp_fused_add_addmm_native_layer_norm_transpose_view_2(buf60, buf62, _frozen_param44, buf47, _frozen_param45, _frozen_param46, buf61)
        del buf47
        # Topologically Sorted Source Nodes: [hidden_states_19], Original ATen: [aten.view, aten.addmm]
        buf63 = torch.ops.mkl._mkl_linear.default(reinterpret_tensor(buf62, (1024, 384), (384, 1), 0), _frozen_param176, _frozen_param175, None, 1024)
        assert_size_stride(buf63, (1024, 1536), (1536, 1), 'torch.ops.mkl._mkl_linear')
        buf64 = reinterpret_tensor(buf63, (8, 128, 1536), (196608, 1536, 1), 0); del buf63  # reuse
        cpp_fused_addmm_gelu_view_3(buf64, _frozen_param48)
        # Topologically Sorted Source Nodes: [hidden_states_19, hidden_states_20, hidden_states_21], Original ATen: [aten.view, aten.addmm, aten.gelu]
        buf65 = torch.ops.mkl._mkl_linear.default(reinterpret_tensor(buf64, (1024, 1536), (1536, 1), 0), _frozen_param178, _frozen_param177, None, 1024)
        assert_size_stride(buf65, (1024, 384), (384, 1), 'torch.ops.mkl._mkl_linear')
        del buf64
        buf66 = buf61; del buf61  # reuse
        buf67 = buf66; del buf66  # reuse
        buf68 = buf60; del buf60  # reuse
        buf69 = reinterpret_tensor(buf65, (8, 128, 384), (49152, 384, 1), 0); del buf65  # reuse
        cpp_fused_add_addmm_native_layer_norm_transpose_view_2(buf67, buf69, _frozen_param50, buf62, _frozen_param51, _frozen_param52, buf68)
        del buf62
        # Topologically Sorted Source Nodes: [linear_18], Original ATen: [aten.view, aten.addmm]
        buf70 = torch.ops.mkl._mkl_linear.default(reinterpret_tensor(buf69, (1024, 384), (384, 1), 0), _frozen_param180, _frozen_param179, None, 1024)
        assert_size_stride(buf70, (1024, 384), (384, 1), 'torch.ops.mkl._mkl_linear')
        # Topologically Sorted Source Nodes: [linear_18, linear_19], Original ATen: [aten.view, aten.addmm]
        buf71 = torch.ops.mkl._mkl_linear.default(reinterpret_tensor(buf69, (1024, 384), (384, 1), 0), _frozen_param182, _frozen_param181, None, 1024)
        assert_size_stride(buf71, (1024, 384), (384, 1), 'torch.ops.mkl._mkl_linear')
        # Topologically Sorted Source Nodes: [linear_18, linear_20], Original ATen: [aten.view, aten.addmm]
        buf72 = torch.ops.mkl._mkl_linear.default(reinterpret_tensor(buf69, (1024, 384), (384, 1), 0), _frozen_param184, _frozen_param183, None, 1024)
        assert_size_stride(buf72, (1024, 384), (384, 1), 'torch.ops.mkl._mkl_linear')
        buf73 = reinterpret_tensor(buf70, (8, 12, 128, 32), (49152, 32, 384, 1), 0); del buf70  # reuse
        buf74 = reinterpret_tensor(buf71, (8, 12, 128, 32), (49152, 32, 384, 1), 0); del buf71  # reuse
        buf75 = reinterpret_tensor(buf72, (8, 12, 128, 32), (49152, 32, 384, 1), 0); del buf72  # reuse
        cpp_fused__scaled_dot_product_flash_attention_for_cpu__to_copy_add_addmm_arange_bitwise_and_expand_ge_index_new_ones_scalar_tensor_select_transpose_unsqueeze_view_where_4(buf73, buf74, buf75, _frozen_param54, _frozen_param56, _frozen_param58)
        # Topologically Sorted Source Nodes: [result, arange_2, q_arange, q_indices, ge, result_1, mask, attention_mask, batch_arange, batch_indices, kv_indices, getitem_7, result_2, attention_mask_1, attn_output, linear_18, view_9, query_layer_3, linear_19, view_10, key_layer_3, linear_20, view_11, value_layer_3, attn_output_12], Original ATen: [aten.new_ones, aten.arange, aten.add, aten.unsqueeze, aten.ge, aten.bitwise_and, aten.select, aten._to_copy, aten.index, aten.expand, aten.scalar_tensor, aten.where, aten.view, aten.addmm, aten.transpose, aten._scaled_dot_product_flash_attention_for_cpu]
        buf77 = torch.ops.aten._scaled_dot_product_flash_attention_for_cpu.default(buf73, buf74, buf75, attn_mask=buf76, scale=0.1767766952966369)
        del buf73
        del buf74
        del buf75
        buf78 = buf77[0]
        assert_size_stride(buf78, (8, 12, 128, 32), (49152, 32, 384, 1), 'torch.ops.aten._scaled_dot_product_flash_attention_for_cpu.default')
        assert_alignment(buf78, 16, 'torch.ops.aten._scaled_dot_product_flash_attention_for_cpu.default')
        del buf77
        # Topologically Sorted Source Nodes: [transpose_15, reshape_7, hidden_states_24], Original ATen: [aten.transpose, aten.view, aten.addmm]
        buf80 = torch.ops.mkl._mkl_linear.default(reinterpret_tensor(buf78, (1024, 384), (384, 1), 0), _frozen_param186, _frozen_param185, None, 1024)
        assert_size_stride(buf80, (1024, 384), (384, 1), 'torch.ops.mkl._mkl_linear')
        del buf78
        buf81 = buf68; del buf68  # reuse
        buf82 = buf81; del buf81  # reuse
        buf83 = buf67; del buf67  # reuse
        buf84 = reinterpret_tensor(buf80, (8, 128, 384), (49152, 384, 1), 0); del buf80  # reuse
        cpp_fused_add_addmm_native_layer_norm_transpose_view_2(buf82, buf84, _frozen_param60, buf69, _frozen_param61, _frozen_param62, buf83)
        del buf69
        # Topologically Sorted Source Nodes: [hidden_states_27], Original ATen: [aten.view, aten.addmm]
        buf85 = torch.ops.mkl._mkl_linear.default(reinterpret_tensor(buf84, (1024, 384), (384, 1), 0), _frozen_param188, _frozen_param187, None, 1024)
        assert_size_stride(buf85, (1024, 1536), (1536, 1), 'torch.ops.mkl._mkl_linear')
        buf86 = reinterpret_tensor(buf85, (8, 128, 1536), (196608, 1536, 1), 0); del buf85  # reuse
        cpp_fused_addmm_gelu_view_3(buf86, _frozen_param64)
        # Topologically Sorted Source Nodes: [hidden_states_27, hidden_states_28, hidden_states_29], Original ATen: [aten.view, aten.addmm, aten.gelu]
        buf87 = torch.ops.mkl._mkl_linear.default(reinterpret_tensor(buf86, (1024, 1536), (1536, 1), 0), _frozen_param190, _frozen_param189, None, 1024)
        assert_size_stride(buf87, (1024, 384), (384, 1), 'torch.ops.mkl._mkl_linear')
        del buf86
        buf88 = buf83; del buf83  # reuse
        buf89 = buf88; del buf88  # reuse
        buf90 = buf82; del buf82  # reuse
        buf91 = reinterpret_tensor(buf87, (8, 128, 384), (49152, 384, 1), 0); del buf87  # reuse
        cpp_fused_add_addmm_native_layer_norm_transpose_view_2(buf89, buf91, _frozen_param66, buf84, _frozen_param67, _frozen_param68, buf90)
        del buf84
        # Topologically Sorted Source Nodes: [linear_24], Original ATen: [aten.view, aten.addmm]
        buf92 = torch.ops.mkl._mkl_linear.default(reinterpret_tensor(buf91, (1024, 384), (384, 1), 0), _frozen_param192, _frozen_param191, None, 1024)
        assert_size_stride(buf92, (1024, 384), (384, 1), 'torch.ops.mkl._mkl_linear')
        # Topologically Sorted Source Nodes: [linear_24, linear_25], Original ATen: [aten.view, aten.addmm]
        buf93 = torch.ops.mkl._mkl_linear.default(reinterpret_tensor(buf91, (1024, 384), (384, 1), 0), _frozen_param194, _frozen_param193, None, 1024)
        assert_size_stride(buf93, (1024, 384), (384, 1), 'torch.ops.mkl._mkl_linear')
        # Topologically Sorted Source Nodes: [linear_24, linear_26], Original ATen: [aten.view, aten.addmm]
        buf94 = torch.ops.mkl._mkl_linear.default(reinterpret_tensor(buf91, (1024, 384), (384, 1), 0), _frozen_param196, _frozen_param195, None, 1024)
        assert_size_stride(buf94, (1024, 384), (384, 1), 'torch.ops.mkl._mkl_linear')
        buf95 = reinterpret_tensor(buf92, (8, 12, 128, 32), (49152, 32, 384, 1), 0); del buf92  # reuse
        buf96 = reinterpret_tensor(buf93, (8, 12, 128, 32), (49152, 32, 384, 1), 0); del buf93  # reuse
        buf97 = reinterpret_tensor(buf94, (8, 12, 128, 32), (49152, 32, 384, 1), 0); del buf94  # reuse
        buf98 = buf76; del buf76  # reuse
        buf120 = buf54; del buf54  # reuse
        cpp_fused__scaled_dot_product_flash_attention_for_cpu__to_copy_add_addmm_arange_bitwise_and_expand_ge_index_new_ones_scalar_tensor_select_transpose_unsqueeze_view_where_5(buf95, buf96, buf97, _frozen_param70, _frozen_param72, _frozen_param74, arg105_1, buf98, buf120)
        # Topologically Sorted Source Nodes: [result, arange_2, q_arange, q_indices, ge, result_1, mask, attention_mask, batch_arange, batch_indices, kv_indices, getitem_7, result_2, attention_mask_1, attn_output, linear_24, view_12, query_layer_4, linear_25, view_13, key_layer_4, linear_26, view_14, value_layer_4, attn_output_16], Original ATen: [aten.new_ones, aten.arange, aten.add, aten.unsqueeze, aten.ge, aten.bitwise_and, aten.select, aten._to_copy, aten.index, aten.expand, aten.scalar_tensor, aten.where, aten.view, aten.addmm, aten.transpose, aten._scaled_dot_product_flash_attention_for_cpu]
        buf99 = torch.ops.aten._scaled_dot_product_flash_attention_for_cpu.default(buf95, buf96, buf97, attn_mask=buf98, scale=0.1767766952966369)
        del buf95
        del buf96
        del buf97
        del buf98
        buf100 = buf99[0]
        assert_size_stride(buf100, (8, 12, 128, 32), (49152, 32, 384, 1), 'torch.ops.aten._scaled_dot_product_flash_attention_for_cpu.default')
        assert_alignment(buf100, 16, 'torch.ops.aten._scaled_dot_product_flash_attention_for_cpu.default')
        del buf99
        # Topologically Sorted Source Nodes: [transpose_19, reshape_9, hidden_states_32], Original ATen: [aten.transpose, aten.view, aten.addmm]
        buf102 = torch.ops.mkl._mkl_linear.default(reinterpret_tensor(buf100, (1024, 384), (384, 1), 0), _frozen_param198, _frozen_param197, None, 1024)
        assert_size_stride(buf102, (1024, 384), (384, 1), 'torch.ops.mkl._mkl_linear')
        del buf100
        buf103 = buf90; del buf90  # reuse
        buf104 = buf103; del buf103  # reuse
        buf105 = buf89; del buf89  # reuse
        buf106 = reinterpret_tensor(buf102, (8, 128, 384), (49152, 384, 1), 0); del buf102  # reuse
        cpp_fused_add_addmm_native_layer_norm_transpose_view_2(buf104, buf106, _frozen_param76, buf91, _frozen_param77, _frozen_param78, buf105)
        del buf91
        # Topologically Sorted Source Nodes: [hidden_states_35], Original ATen: [aten.view, aten.addmm]
        buf107 = torch.ops.mkl._mkl_linear.default(reinterpret_tensor(buf106, (1024, 384), (384, 1), 0), _frozen_param200, _frozen_param199, None, 1024)
        assert_size_stride(buf107, (1024, 1536), (1536, 1), 'torch.ops.mkl._mkl_linear')
        buf108 = reinterpret_tensor(buf107, (8, 128, 1536), (196608, 1536, 1), 0); del buf107  # reuse
        cpp_fused_addmm_gelu_view_3(buf108, _frozen_param80)
        # Topologically Sorted Source Nodes: [hidden_states_35, hidden_states_36, hidden_states_37], Original ATen: [aten.view, aten.addmm, aten.gelu]
        buf109 = torch.ops.mkl._mkl_linear.default(reinterpret_tensor(buf108, (1024, 1536), (1536, 1), 0), _frozen_param202, _frozen_param201, None, 1024)
        assert_size_stride(buf109, (1024, 384), (384, 1), 'torch.ops.mkl._mkl_linear')
        del buf108
        buf110 = buf105; del buf105  # reuse
        buf111 = buf110; del buf110  # reuse
        buf112 = buf104; del buf104  # reuse
        buf113 = reinterpret_tensor(buf109, (8, 128, 384), (49152, 384, 1), 0); del buf109  # reuse
        cpp_fused_add_addmm_native_layer_norm_transpose_view_2(buf111, buf113, _frozen_param82, buf106, _frozen_param83, _frozen_param84, buf112)
        del buf106
        # Topologically Sorted Source Nodes: [linear_30], Original ATen: [aten.view, aten.addmm]
        buf114 = torch.ops.mkl._mkl_linear.default(reinterpret_tensor(buf113, (1024, 384), (384, 1), 0), _frozen_param204, _frozen_param203, None, 1024)
        assert_size_stride(buf114, (1024, 384), (384, 1), 'torch.ops.mkl._mkl_linear')
        # Topologically Sorted Source Nodes: [linear_30, linear_31], Original ATen: [aten.view, aten.addmm]
        buf115 = torch.ops.mkl._mkl_linear.default(reinterpret_tensor(buf113, (1024, 384), (384, 1), 0), _frozen_param206, _frozen_param205, None, 1024)
        assert_size_stride(buf115, (1024, 384), (384, 1), 'torch.ops.mkl._mkl_linear')
        # Topologically Sorted Source Nodes: [linear_30, linear_32], Original ATen: [aten.view, aten.addmm]
        buf116 = torch.ops.mkl._mkl_linear.default(reinterpret_tensor(buf113, (1024, 384), (384, 1), 0), _frozen_param208, _frozen_param207, None, 1024)
        assert_size_stride(buf116, (1024, 384), (384, 1), 'torch.ops.mkl._mkl_linear')
        buf117 = reinterpret_tensor(buf114, (8, 12, 128, 32), (49152, 32, 384, 1), 0); del buf114  # reuse
        buf118 = reinterpret_tensor(buf115, (8, 12, 128, 32), (49152, 32, 384, 1), 0); del buf115  # reuse
        buf119 = reinterpret_tensor(buf116, (8, 12, 128, 32), (49152, 32, 384, 1), 0); del buf116  # reuse
        cpp_fused__scaled_dot_product_flash_attention_for_cpu__to_copy_add_addmm_arange_bitwise_and_expand_ge_index_new_ones_scalar_tensor_select_transpose_unsqueeze_view_where_4(buf117, buf118, buf119, _frozen_param86, _frozen_param88, _frozen_param90)
        # Topologically Sorted Source Nodes: [result, arange_2, q_arange, q_indices, ge, result_1, mask, attention_mask, batch_arange, batch_indices, kv_indices, getitem_7, result_2, attention_mask_1, attn_output, linear_30, view_15, query_layer_5, linear_31, view_16, key_layer_5, linear_32, view_17, value_layer_5, attn_output_20], Original ATen: [aten.new_ones, aten.arange, aten.add, aten.unsqueeze, aten.ge, aten.bitwise_and, aten.select, aten._to_copy, aten.index, aten.expand, aten.scalar_tensor, aten.where, aten.view, aten.addmm, aten.transpose, aten._scaled_dot_product_flash_attention_for_cpu]
        buf121 = torch.ops.aten._scaled_dot_product_flash_attention_for_cpu.default(buf117, buf118, buf119, attn_mask=buf120, scale=0.1767766952966369)
        del buf117
        del buf118
        del buf119
        del buf120
        buf122 = buf121[0]
        assert_size_stride(buf122, (8, 12, 128, 32), (49152, 32, 384, 1), 'torch.ops.aten._scaled_dot_product_flash_attention_for_cpu.default')
        assert_alignment(buf122, 16, 'torch.ops.aten._scaled_dot_product_flash_attention_for_cpu.default')
        del buf121
        # Topologically Sorted Source Nodes: [transpose_23, reshape_11, hidden_states_40], Original ATen: [aten.transpose, aten.view, aten.addmm]
        buf124 = torch.ops.mkl._mkl_linear.default(reinterpret_tensor(buf122, (1024, 384), (384, 1), 0), _frozen_param210, _frozen_param209, None, 1024)
        assert_size_stride(buf124, (1024, 384), (384, 1), 'torch.ops.mkl._mkl_linear')
        del buf122
        buf125 = buf112; del buf112  # reuse
        buf126 = buf125; del buf125  # reuse
        buf127 = buf111; del buf111  # reuse
        buf128 = reinterpret_tensor(buf124, (8, 128, 384), (49152, 384, 1), 0); del buf124  # reuse
        cpp_fused_add_addmm_native_layer_norm_transpose_view_2(buf126, buf128, _frozen_param92, buf113, _frozen_param93, _frozen_param94, buf127)
        del buf113
        # Topologically Sorted Source Nodes: [hidden_states_43], Original ATen: [aten.view, aten.addmm]
        buf129 = torch.ops.mkl._mkl_linear.default(reinterpret_tensor(buf128, (1024, 384), (384, 1), 0), _frozen_param212, _frozen_param211, None, 1024)
        assert_size_stride(buf129, (1024, 1536), (1536, 1), 'torch.ops.mkl._mkl_linear')
        buf130 = reinterpret_tensor(buf129, (8, 128, 1536), (196608, 1536, 1), 0); del buf129  # reuse
        cpp_fused_addmm_gelu_view_3(buf130, _frozen_param96)
        # Topologically Sorted Source Nodes: [hidden_states_43, hidden_states_44, hidden_states_45], Original ATen: [aten.view, aten.addmm, aten.gelu]
        buf131 = torch.ops.mkl._mkl_linear.default(reinterpret_tensor(buf130, (1024, 1536), (1536, 1), 0), _frozen_param214, _frozen_param213, None, 1024)
        assert_size_stride(buf131, (1024, 384), (384, 1), 'torch.ops.mkl._mkl_linear')
        del buf130
        buf132 = buf127; del buf127  # reuse
        buf133 = buf132; del buf132  # reuse
        buf134 = buf126; del buf126  # reuse
        buf136 = empty_strided_cpu((8, 1), (1, 8), torch.float32)
        buf135 = empty_strided_cpu((8, 384), (384, 1), torch.float32)
        buf137 = empty_strided_cpu((8, 1), (1, 8), torch.float32)
        buf138 = buf135; del buf135  # reuse
        cpp_fused__to_copy_add_addmm_clamp_clamp_min_div_expand_gelu_linalg_vector_norm_mul_native_layer_norm_select_sum_unsqueeze_view_6(buf133, buf138, buf131, _frozen_param98, buf128, arg105_1, _frozen_param99, _frozen_param100, buf134, buf136, buf137)
        del arg105_1
        return (buf138, )

runner = Runner(partitions=[])
call = runner.call
recursively_apply_fns = runner.recursively_apply_fns


def get_args():
    from torch._dynamo.testing import rand_strided
    global _frozen_param0
    _frozen_param0 = rand_strided((30522, 384), (384, 1), device='cpu', dtype=torch.float32)
    global _frozen_param3
    _frozen_param3 = rand_strided((384, ), (1, ), device='cpu', dtype=torch.float32)
    global _frozen_param4
    _frozen_param4 = rand_strided((384, ), (1, ), device='cpu', dtype=torch.float32)
    global _frozen_param6
    _frozen_param6 = rand_strided((384, ), (1, ), device='cpu', dtype=torch.float32)
    global _frozen_param8
    _frozen_param8 = rand_strided((384, ), (1, ), device='cpu', dtype=torch.float32)
    global _frozen_param10
    _frozen_param10 = rand_strided((384, ), (1, ), device='cpu', dtype=torch.float32)
    global _frozen_param12
    _frozen_param12 = rand_strided((384, ), (1, ), device='cpu', dtype=torch.float32)
    global _frozen_param13
    _frozen_param13 = rand_strided((384, ), (1, ), device='cpu', dtype=torch.float32)
    global _frozen_param14
    _frozen_param14 = rand_strided((384, ), (1, ), device='cpu', dtype=torch.float32)
    global _frozen_param16
    _frozen_param16 = rand_strided((1536, ), (1, ), device='cpu', dtype=torch.float32)
    global _frozen_param18
    _frozen_param18 = rand_strided((384, ), (1, ), device='cpu', dtype=torch.float32)
    global _frozen_param19
    _frozen_param19 = rand_strided((384, ), (1, ), device='cpu', dtype=torch.float32)
    global _frozen_param20
    _frozen_param20 = rand_strided((384, ), (1, ), device='cpu', dtype=torch.float32)
    global _frozen_param22
    _frozen_param22 = rand_strided((384, ), (1, ), device='cpu', dtype=torch.float32)
    global _frozen_param24
    _frozen_param24 = rand_strided((384, ), (1, ), device='cpu', dtype=torch.float32)
    global _frozen_param26
    _frozen_param26 = rand_strided((384, ), (1, ), device='cpu', dtype=torch.float32)
    global _frozen_param28
    _frozen_param28 = rand_strided((384, ), (1, ), device='cpu', dtype=torch.float32)
    global _frozen_param29
    _frozen_param29 = rand_strided((384, ), (1, ), device='cpu', dtype=torch.float32)
    global _frozen_param30
    _frozen_param30 = rand_strided((384, ), (1, ), device='cpu', dtype=torch.float32)
    global _frozen_param32
    _frozen_param32 = rand_strided((1536, ), (1, ), device='cpu', dtype=torch.float32)
    global _frozen_param34
    _frozen_param34 = rand_strided((384, ), (1, ), device='cpu', dtype=torch.float32)
    global _frozen_param35
    _frozen_param35 = rand_strided((384, ), (1, ), device='cpu', dtype=torch.float32)
    global _frozen_param36
    _frozen_param36 = rand_strided((384, ), (1, ), device='cpu', dtype=torch.float32)
    global _frozen_param38
    _frozen_param38 = rand_strided((384, ), (1, ), device='cpu', dtype=torch.float32)
    global _frozen_param40
    _frozen_param40 = rand_strided((384, ), (1, ), device='cpu', dtype=torch.float32)
    global _frozen_param42
    _frozen_param42 = rand_strided((384, ), (1, ), device='cpu', dtype=torch.float32)
    global _frozen_param44
    _frozen_param44 = rand_strided((384, ), (1, ), device='cpu', dtype=torch.float32)
    global _frozen_param45
    _frozen_param45 = rand_strided((384, ), (1, ), device='cpu', dtype=torch.float32)
    global _frozen_param46
    _frozen_param46 = rand_strided((384, ), (1, ), device='cpu', dtype=torch.float32)
    global _frozen_param48
    _frozen_param48 = rand_strided((1536, ), (1, ), device='cpu', dtype=torch.float32)
    global _frozen_param50
    _frozen_param50 = rand_strided((384, ), (1, ), device='cpu', dtype=torch.float32)
    global _frozen_param51
    _frozen_param51 = rand_strided((384, ), (1, ), device='cpu', dtype=torch.float32)
    global _frozen_param52
    _frozen_param52 = rand_strided((384, ), (1, ), device='cpu', dtype=torch.float32)
    global _frozen_param54
    _frozen_param54 = rand_strided((384, ), (1, ), device='cpu', dtype=torch.float32)
    global _frozen_param56
    _frozen_param56 = rand_strided((384, ), (1, ), device='cpu', dtype=torch.float32)
    global _frozen_param58
    _frozen_param58 = rand_strided((384, ), (1, ), device='cpu', dtype=torch.float32)
    global _frozen_param60
    _frozen_param60 = rand_strided((384, ), (1, ), device='cpu', dtype=torch.float32)
    global _frozen_param61
    _frozen_param61 = rand_strided((384, ), (1, ), device='cpu', dtype=torch.float32)
    global _frozen_param62
    _frozen_param62 = rand_strided((384, ), (1, ), device='cpu', dtype=torch.float32)
    global _frozen_param64
    _frozen_param64 = rand_strided((1536, ), (1, ), device='cpu', dtype=torch.float32)
    global _frozen_param66
    _frozen_param66 = rand_strided((384, ), (1, ), device='cpu', dtype=torch.float32)
    global _frozen_param67
    _frozen_param67 = rand_strided((384, ), (1, ), device='cpu', dtype=torch.float32)
    global _frozen_param68
    _frozen_param68 = rand_strided((384, ), (1, ), device='cpu', dtype=torch.float32)
    global _frozen_param70
    _frozen_param70 = rand_strided((384, ), (1, ), device='cpu', dtype=torch.float32)
    global _frozen_param72
    _frozen_param72 = rand_strided((384, ), (1, ), device='cpu', dtype=torch.float32)
    global _frozen_param74
    _frozen_param74 = rand_strided((384, ), (1, ), device='cpu', dtype=torch.float32)
    global _frozen_param76
    _frozen_param76 = rand_strided((384, ), (1, ), device='cpu', dtype=torch.float32)
    global _frozen_param77
    _frozen_param77 = rand_strided((384, ), (1, ), device='cpu', dtype=torch.float32)
    global _frozen_param78
    _frozen_param78 = rand_strided((384, ), (1, ), device='cpu', dtype=torch.float32)
    global _frozen_param80
    _frozen_param80 = rand_strided((1536, ), (1, ), device='cpu', dtype=torch.float32)
    global _frozen_param82
    _frozen_param82 = rand_strided((384, ), (1, ), device='cpu', dtype=torch.float32)
    global _frozen_param83
    _frozen_param83 = rand_strided((384, ), (1, ), device='cpu', dtype=torch.float32)
    global _frozen_param84
    _frozen_param84 = rand_strided((384, ), (1, ), device='cpu', dtype=torch.float32)
    global _frozen_param86
    _frozen_param86 = rand_strided((384, ), (1, ), device='cpu', dtype=torch.float32)
    global _frozen_param88
    _frozen_param88 = rand_strided((384, ), (1, ), device='cpu', dtype=torch.float32)
    global _frozen_param90
    _frozen_param90 = rand_strided((384, ), (1, ), device='cpu', dtype=torch.float32)
    global _frozen_param92
    _frozen_param92 = rand_strided((384, ), (1, ), device='cpu', dtype=torch.float32)
    global _frozen_param93
    _frozen_param93 = rand_strided((384, ), (1, ), device='cpu', dtype=torch.float32)
    global _frozen_param94
    _frozen_param94 = rand_strided((384, ), (1, ), device='cpu', dtype=torch.float32)
    global _frozen_param96
    _frozen_param96 = rand_strided((1536, ), (1, ), device='cpu', dtype=torch.float32)
    global _frozen_param98
    _frozen_param98 = rand_strided((384, ), (1, ), device='cpu', dtype=torch.float32)
    global _frozen_param99
    _frozen_param99 = rand_strided((384, ), (1, ), device='cpu', dtype=torch.float32)
    global _frozen_param100
    _frozen_param100 = rand_strided((384, ), (1, ), device='cpu', dtype=torch.float32)
    global _frozen_param105
    _frozen_param105 = rand_strided((8, 128, 384), (49152, 384, 1), device='cpu', dtype=torch.float32)
    global _frozen_param106
    _frozen_param106 = rand_strided((1, 128, 384), (49152, 384, 1), device='cpu', dtype=torch.float32)
    global _frozen_param143
    _frozen_param143 = rand_strided((384, 384), (384, 1), device='cpu', dtype=torch.float32)
    global _frozen_param144
    _frozen_param144 = rand_strided((1982689, 1), (1, 0), device='cpu', dtype=torch.float32)
    global _frozen_param145
    _frozen_param145 = rand_strided((384, 384), (384, 1), device='cpu', dtype=torch.float32)
    global _frozen_param146
    _frozen_param146 = rand_strided((1982689, 1), (1, 0), device='cpu', dtype=torch.float32)
    global _frozen_param147
    _frozen_param147 = rand_strided((384, 384), (384, 1), device='cpu', dtype=torch.float32)
    global _frozen_param148
    _frozen_param148 = rand_strided((1982689, 1), (1, 0), device='cpu', dtype=torch.float32)
    global _frozen_param149
    _frozen_param149 = rand_strided((384, 384), (384, 1), device='cpu', dtype=torch.float32)
    global _frozen_param150
    _frozen_param150 = rand_strided((1982689, 1), (1, 0), device='cpu', dtype=torch.float32)
    global _frozen_param151
    _frozen_param151 = rand_strided((1536, 384), (384, 1), device='cpu', dtype=torch.float32)
    global _frozen_param152
    _frozen_param152 = rand_strided((2638049, 1), (1, 0), device='cpu', dtype=torch.float32)
    global _frozen_param153
    _frozen_param153 = rand_strided((384, 1536), (1536, 1), device='cpu', dtype=torch.float32)
    global _frozen_param154
    _frozen_param154 = rand_strided((2638049, 1), (1, 0), device='cpu', dtype=torch.float32)
    global _frozen_param155
    _frozen_param155 = rand_strided((384, 384), (384, 1), device='cpu', dtype=torch.float32)
    global _frozen_param156
    _frozen_param156 = rand_strided((1982689, 1), (1, 0), device='cpu', dtype=torch.float32)
    global _frozen_param157
    _frozen_param157 = rand_strided((384, 384), (384, 1), device='cpu', dtype=torch.float32)
    global _frozen_param158
    _frozen_param158 = rand_strided((1982689, 1), (1, 0), device='cpu', dtype=torch.float32)
    global _frozen_param159
    _frozen_param159 = rand_strided((384, 384), (384, 1), device='cpu', dtype=torch.float32)
    global _frozen_param160
    _frozen_param160 = rand_strided((1982689, 1), (1, 0), device='cpu', dtype=torch.float32)
    global _frozen_param161
    _frozen_param161 = rand_strided((384, 384), (384, 1), device='cpu', dtype=torch.float32)
    global _frozen_param162
    _frozen_param162 = rand_strided((1982689, 1), (1, 0), device='cpu', dtype=torch.float32)
    global _frozen_param163
    _frozen_param163 = rand_strided((1536, 384), (384, 1), device='cpu', dtype=torch.float32)
    global _frozen_param164
    _frozen_param164 = rand_strided((2638049, 1), (1, 0), device='cpu', dtype=torch.float32)
    global _frozen_param165
    _frozen_param165 = rand_strided((384, 1536), (1536, 1), device='cpu', dtype=torch.float32)
    global _frozen_param166
    _frozen_param166 = rand_strided((2638049, 1), (1, 0), device='cpu', dtype=torch.float32)
    global _frozen_param167
    _frozen_param167 = rand_strided((384, 384), (384, 1), device='cpu', dtype=torch.float32)
    global _frozen_param168
    _frozen_param168 = rand_strided((1982689, 1), (1, 0), device='cpu', dtype=torch.float32)
    global _frozen_param169
    _frozen_param169 = rand_strided((384, 384), (384, 1), device='cpu', dtype=torch.float32)
    global _frozen_param170
    _frozen_param170 = rand_strided((1982689, 1), (1, 0), device='cpu', dtype=torch.float32)
    global _frozen_param171
    _frozen_param171 = rand_strided((384, 384), (384, 1), device='cpu', dtype=torch.float32)
    global _frozen_param172
    _frozen_param172 = rand_strided((1982689, 1), (1, 0), device='cpu', dtype=torch.float32)
    global _frozen_param173
    _frozen_param173 = rand_strided((384, 384), (384, 1), device='cpu', dtype=torch.float32)
    global _frozen_param174
    _frozen_param174 = rand_strided((1982689, 1), (1, 0), device='cpu', dtype=torch.float32)
    global _frozen_param175
    _frozen_param175 = rand_strided((1536, 384), (384, 1), device='cpu', dtype=torch.float32)
    global _frozen_param176
    _frozen_param176 = rand_strided((2638049, 1), (1, 0), device='cpu', dtype=torch.float32)
    global _frozen_param177
    _frozen_param177 = rand_strided((384, 1536), (1536, 1), device='cpu', dtype=torch.float32)
    global _frozen_param178
    _frozen_param178 = rand_strided((2638049, 1), (1, 0), device='cpu', dtype=torch.float32)
    global _frozen_param179
    _frozen_param179 = rand_strided((384, 384), (384, 1), device='cpu', dtype=torch.float32)
    global _frozen_param180
    _frozen_param180 = rand_strided((1982689, 1), (1, 0), device='cpu', dtype=torch.float32)
    global _frozen_param181
    _frozen_param181 = rand_strided((384, 384), (384, 1), device='cpu', dtype=torch.float32)
    global _frozen_param182
    _frozen_param182 = rand_strided((1982689, 1), (1, 0), device='cpu', dtype=torch.float32)
    global _frozen_param183
    _frozen_param183 = rand_strided((384, 384), (384, 1), device='cpu', dtype=torch.float32)
    global _frozen_param184
    _frozen_param184 = rand_strided((1982689, 1), (1, 0), device='cpu', dtype=torch.float32)
    global _frozen_param185
    _frozen_param185 = rand_strided((384, 384), (384, 1), device='cpu', dtype=torch.float32)
    global _frozen_param186
    _frozen_param186 = rand_strided((1982689, 1), (1, 0), device='cpu', dtype=torch.float32)
    global _frozen_param187
    _frozen_param187 = rand_strided((1536, 384), (384, 1), device='cpu', dtype=torch.float32)
    global _frozen_param188
    _frozen_param188 = rand_strided((2638049, 1), (1, 0), device='cpu', dtype=torch.float32)
    global _frozen_param189
    _frozen_param189 = rand_strided((384, 1536), (1536, 1), device='cpu', dtype=torch.float32)
    global _frozen_param190
    _frozen_param190 = rand_strided((2638049, 1), (1, 0), device='cpu', dtype=torch.float32)
    global _frozen_param191
    _frozen_param191 = rand_strided((384, 384), (384, 1), device='cpu', dtype=torch.float32)
    global _frozen_param192
    _frozen_param192 = rand_strided((1982689, 1), (1, 0), device='cpu', dtype=torch.float32)
    global _frozen_param193
    _frozen_param193 = rand_strided((384, 384), (384, 1), device='cpu', dtype=torch.float32)
    global _frozen_param194
    _frozen_param194 = rand_strided((1982689, 1), (1, 0), device='cpu', dtype=torch.float32)
    global _frozen_param195
    _frozen_param195 = rand_strided((384, 384), (384, 1), device='cpu', dtype=torch.float32)
    global _frozen_param196
    _frozen_param196 = rand_strided((1982689, 1), (1, 0), device='cpu', dtype=torch.float32)
    global _frozen_param197
    _frozen_param197 = rand_strided((384, 384), (384, 1), device='cpu', dtype=torch.float32)
    global _frozen_param198
    _frozen_param198 = rand_strided((1982689, 1), (1, 0), device='cpu', dtype=torch.float32)
    global _frozen_param199
    _frozen_param199 = rand_strided((1536, 384), (384, 1), device='cpu', dtype=torch.float32)
    global _frozen_param200
    _frozen_param200 = rand_strided((2638049, 1), (1, 0), device='cpu', dtype=torch.float32)
    global _frozen_param201
    _frozen_param201 = rand_strided((384, 1536), (1536, 1), device='cpu', dtype=torch.float32)
    global _frozen_param202
    _frozen_param202 = rand_strided((2638049, 1), (1, 0), device='cpu', dtype=torch.float32)
    global _frozen_param203
    _frozen_param203 = rand_strided((384, 384), (384, 1), device='cpu', dtype=torch.float32)
    global _frozen_param204
    _frozen_param204 = rand_strided((1982689, 1), (1, 0), device='cpu', dtype=torch.float32)
    global _frozen_param205
    _frozen_param205 = rand_strided((384, 384), (384, 1), device='cpu', dtype=torch.float32)
    global _frozen_param206
    _frozen_param206 = rand_strided((1982689, 1), (1, 0), device='cpu', dtype=torch.float32)
    global _frozen_param207
    _frozen_param207 = rand_strided((384, 384), (384, 1), device='cpu', dtype=torch.float32)
    global _frozen_param208
    _frozen_param208 = rand_strided((1982689, 1), (1, 0), device='cpu', dtype=torch.float32)
    global _frozen_param209
    _frozen_param209 = rand_strided((384, 384), (384, 1), device='cpu', dtype=torch.float32)
    global _frozen_param210
    _frozen_param210 = rand_strided((1982689, 1), (1, 0), device='cpu', dtype=torch.float32)
    global _frozen_param211
    _frozen_param211 = rand_strided((1536, 384), (384, 1), device='cpu', dtype=torch.float32)
    global _frozen_param212
    _frozen_param212 = rand_strided((2638049, 1), (1, 0), device='cpu', dtype=torch.float32)
    global _frozen_param213
    _frozen_param213 = rand_strided((384, 1536), (1536, 1), device='cpu', dtype=torch.float32)
    global _frozen_param214
    _frozen_param214 = rand_strided((2638049, 1), (1, 0), device='cpu', dtype=torch.float32)
    arg105_1 = rand_strided((8, 2, 128), (256, 128, 1), device='cpu', dtype=torch.int64)
    return [arg105_1]


def benchmark_compiled_module(args, times=10, repeat=10):
    from torch._inductor.utils import print_performance
    fn = lambda: call(list(args))
    return print_performance(fn, times=times, repeat=repeat, device='cpu')


if __name__ == "__main__":
    from torch._inductor.wrapper_benchmark import compiled_module_main
    args = get_args()
    compiled_module_main('None', lambda times, repeat: benchmark_compiled_module(args, times=times, repeat=repeat))
