# AOT ID: ['2_inference']
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
_frozen_param0 = None  # device(type='cpu') torch.bfloat16 (30522, 384) (384, 1) 7f89a6038e10
_frozen_param3 = None  # device(type='cpu') torch.bfloat16 (384,) (1,) 7f89a60b4370
_frozen_param4 = None  # device(type='cpu') torch.bfloat16 (384,) (1,) 7f89a6222760
_frozen_param6 = None  # device(type='cpu') torch.bfloat16 (384,) (1,) 7f89a7695ae0
_frozen_param8 = None  # device(type='cpu') torch.bfloat16 (384,) (1,) 7f89a6225a40
_frozen_param10 = None  # device(type='cpu') torch.bfloat16 (384,) (1,) 7f89a62235c0
_frozen_param12 = None  # device(type='cpu') torch.bfloat16 (384,) (1,) 7f89a62412c0
_frozen_param13 = None  # device(type='cpu') torch.bfloat16 (384,) (1,) 7f89a6222120
_frozen_param14 = None  # device(type='cpu') torch.bfloat16 (384,) (1,) 7f89a60b51d0
_frozen_param16 = None  # device(type='cpu') torch.bfloat16 (1536,) (1,) 7f89a6224960
_frozen_param18 = None  # device(type='cpu') torch.bfloat16 (384,) (1,) 7f89a6242990
_frozen_param19 = None  # device(type='cpu') torch.bfloat16 (384,) (1,) 7f89a62401e0
_frozen_param20 = None  # device(type='cpu') torch.bfloat16 (384,) (1,) 7f89a6242f80
_frozen_param22 = None  # device(type='cpu') torch.bfloat16 (384,) (1,) 7f89a6030be0
_frozen_param24 = None  # device(type='cpu') torch.bfloat16 (384,) (1,) 7f89a6030640
_frozen_param26 = None  # device(type='cpu') torch.bfloat16 (384,) (1,) 7f89a6031090
_frozen_param28 = None  # device(type='cpu') torch.bfloat16 (384,) (1,) 7f89a6030230
_frozen_param29 = None  # device(type='cpu') torch.bfloat16 (384,) (1,) 7f89a62408c0
_frozen_param30 = None  # device(type='cpu') torch.bfloat16 (384,) (1,) 7f89ac802d50
_frozen_param32 = None  # device(type='cpu') torch.bfloat16 (1536,) (1,) 7f89a6031630
_frozen_param34 = None  # device(type='cpu') torch.bfloat16 (384,) (1,) 7f89a4e601e0
_frozen_param35 = None  # device(type='cpu') torch.bfloat16 (384,) (1,) 7f89a6031ea0
_frozen_param36 = None  # device(type='cpu') torch.bfloat16 (384,) (1,) 7f89a6031bd0
_frozen_param38 = None  # device(type='cpu') torch.bfloat16 (384,) (1,) 7f89a4e62760
_frozen_param40 = None  # device(type='cpu') torch.bfloat16 (384,) (1,) 7f89a4e62620
_frozen_param42 = None  # device(type='cpu') torch.bfloat16 (384,) (1,) 7f89a4e628f0
_frozen_param44 = None  # device(type='cpu') torch.bfloat16 (384,) (1,) 7f89a7671c20
_frozen_param45 = None  # device(type='cpu') torch.bfloat16 (384,) (1,) 7f89a4e62440
_frozen_param46 = None  # device(type='cpu') torch.bfloat16 (384,) (1,) 7f89a4e623a0
_frozen_param48 = None  # device(type='cpu') torch.bfloat16 (1536,) (1,) 7f89a4e629e0
_frozen_param50 = None  # device(type='cpu') torch.bfloat16 (384,) (1,) 7f89a4e62cb0
_frozen_param51 = None  # device(type='cpu') torch.bfloat16 (384,) (1,) 7f89a4e62bc0
_frozen_param52 = None  # device(type='cpu') torch.bfloat16 (384,) (1,) 7f89a4e62b20
_frozen_param54 = None  # device(type='cpu') torch.bfloat16 (384,) (1,) 7f89a4e62850
_frozen_param56 = None  # device(type='cpu') torch.bfloat16 (384,) (1,) 7f89a4e63020
_frozen_param58 = None  # device(type='cpu') torch.bfloat16 (384,) (1,) 7f89a4e632a0
_frozen_param60 = None  # device(type='cpu') torch.bfloat16 (384,) (1,) 7f89a4e62ee0
_frozen_param61 = None  # device(type='cpu') torch.bfloat16 (384,) (1,) 7f89a4e62e40
_frozen_param62 = None  # device(type='cpu') torch.bfloat16 (384,) (1,) 7f89a4e62da0
_frozen_param64 = None  # device(type='cpu') torch.bfloat16 (1536,) (1,) 7f89a4e633e0
_frozen_param66 = None  # device(type='cpu') torch.bfloat16 (384,) (1,) 7f89a4e636b0
_frozen_param67 = None  # device(type='cpu') torch.bfloat16 (384,) (1,) 7f89a4e635c0
_frozen_param68 = None  # device(type='cpu') torch.bfloat16 (384,) (1,) 7f89a4e63520
_frozen_param70 = None  # device(type='cpu') torch.bfloat16 (384,) (1,) 7f89a4e51450
_frozen_param72 = None  # device(type='cpu') torch.bfloat16 (384,) (1,) 7f89a4e50eb0
_frozen_param74 = None  # device(type='cpu') torch.bfloat16 (384,) (1,) 7f89a4e519f0
_frozen_param76 = None  # device(type='cpu') torch.bfloat16 (384,) (1,) 7f89a4e50910
_frozen_param77 = None  # device(type='cpu') torch.bfloat16 (384,) (1,) 7f89a4e50640
_frozen_param78 = None  # device(type='cpu') torch.bfloat16 (384,) (1,) 7f89a4e50370
_frozen_param80 = None  # device(type='cpu') torch.bfloat16 (1536,) (1,) 7f89a4e51f90
_frozen_param82 = None  # device(type='cpu') torch.bfloat16 (384,) (1,) 7f89a4e52c60
_frozen_param83 = None  # device(type='cpu') torch.bfloat16 (384,) (1,) 7f89a4e52800
_frozen_param84 = None  # device(type='cpu') torch.bfloat16 (384,) (1,) 7f89a4e52530
_frozen_param86 = None  # device(type='cpu') torch.bfloat16 (384,) (1,) 7f89a4e53fc0
_frozen_param88 = None  # device(type='cpu') torch.bfloat16 (384,) (1,) 7f89a4e53bb0
_frozen_param90 = None  # device(type='cpu') torch.bfloat16 (384,) (1,) 7f89a4e53f20
_frozen_param92 = None  # device(type='cpu') torch.bfloat16 (384,) (1,) 7f89a4e53610
_frozen_param93 = None  # device(type='cpu') torch.bfloat16 (384,) (1,) 7f89a4e53340
_frozen_param94 = None  # device(type='cpu') torch.bfloat16 (384,) (1,) 7f89a4e53070
_frozen_param96 = None  # device(type='cpu') torch.bfloat16 (1536,) (1,) 7f89a4e53ac0
_frozen_param98 = None  # device(type='cpu') torch.bfloat16 (384,) (1,) 7f89a4e53c50
_frozen_param99 = None  # device(type='cpu') torch.bfloat16 (384,) (1,) 7f89aa79e940
_frozen_param100 = None  # device(type='cpu') torch.bfloat16 (384,) (1,) 7f89a4e53cf0
_frozen_param105 = None  # device(type='cpu') torch.bfloat16 (4, 128, 384) (49152, 384, 1) 7f899f785860
_frozen_param106 = None  # device(type='cpu') torch.bfloat16 (1, 128, 384) (49152, 384, 1) 7f899e95c3c0
_frozen_param143 = None  # device(type='cpu') torch.bfloat16 (384, 384) (1, 0) 7f899e91f070
_frozen_param144 = None  # device(type='cpu') torch.bfloat16 (384, 384) (1, 0) 7f899e911310
_frozen_param145 = None  # device(type='cpu') torch.bfloat16 (384, 384) (1, 0) 7f899e9117c0
_frozen_param146 = None  # device(type='cpu') torch.bfloat16 (384, 384) (1, 0) 7f899f787de0
_frozen_param147 = None  # device(type='cpu') torch.bfloat16 (1536, 384) (1, 0) 7f899f548320
_frozen_param148 = None  # device(type='cpu') torch.bfloat16 (384, 1536) (1, 0) 7f899f549310
_frozen_param149 = None  # device(type='cpu') torch.bfloat16 (384, 384) (1, 0) 7f899f5490e0
_frozen_param150 = None  # device(type='cpu') torch.bfloat16 (384, 384) (1, 0) 7f899e8a1400
_frozen_param151 = None  # device(type='cpu') torch.bfloat16 (384, 384) (1, 0) 7f899e8a0a00
_frozen_param152 = None  # device(type='cpu') torch.bfloat16 (384, 384) (1, 0) 7f899e8a0f00
_frozen_param153 = None  # device(type='cpu') torch.bfloat16 (1536, 384) (1, 0) 7f899e8a27b0
_frozen_param154 = None  # device(type='cpu') torch.bfloat16 (384, 1536) (1, 0) 7f899e8a1040
_frozen_param155 = None  # device(type='cpu') torch.bfloat16 (384, 384) (1, 0) 7f899e8a16d0
_frozen_param156 = None  # device(type='cpu') torch.bfloat16 (384, 384) (1, 0) 7f899e8a1ea0
_frozen_param157 = None  # device(type='cpu') torch.bfloat16 (384, 384) (1, 0) 7f899e8a3520
_frozen_param158 = None  # device(type='cpu') torch.bfloat16 (384, 384) (1, 0) 7f899e8a0b90
_frozen_param159 = None  # device(type='cpu') torch.bfloat16 (1536, 384) (1, 0) 7f899e8a3cf0
_frozen_param160 = None  # device(type='cpu') torch.bfloat16 (384, 1536) (1, 0) 7f899e8a0500
_frozen_param161 = None  # device(type='cpu') torch.bfloat16 (384, 384) (1, 0) 7f899e8a2bc0
_frozen_param162 = None  # device(type='cpu') torch.bfloat16 (384, 384) (1, 0) 7f899e8a2940
_frozen_param163 = None  # device(type='cpu') torch.bfloat16 (384, 384) (1, 0) 7f899e8a28f0
_frozen_param164 = None  # device(type='cpu') torch.bfloat16 (384, 384) (1, 0) 7f899e8a2ad0
_frozen_param165 = None  # device(type='cpu') torch.bfloat16 (1536, 384) (1, 0) 7f899e8a0ff0
_frozen_param166 = None  # device(type='cpu') torch.bfloat16 (384, 1536) (1, 0) 7f899e8a09b0
_frozen_param167 = None  # device(type='cpu') torch.bfloat16 (384, 384) (1, 0) 7f899e8a2760
_frozen_param168 = None  # device(type='cpu') torch.bfloat16 (384, 384) (1, 0) 7f899e8a00a0
_frozen_param169 = None  # device(type='cpu') torch.bfloat16 (384, 384) (1, 0) 7f899e8a0fa0
_frozen_param170 = None  # device(type='cpu') torch.bfloat16 (384, 384) (1, 0) 7f899e8a17c0
_frozen_param171 = None  # device(type='cpu') torch.bfloat16 (1536, 384) (1, 0) 7f899e8a2ee0
_frozen_param172 = None  # device(type='cpu') torch.bfloat16 (384, 1536) (1, 0) 7f899e8a3610
_frozen_param173 = None  # device(type='cpu') torch.bfloat16 (384, 384) (1, 0) 7f899e8a3d90
_frozen_param174 = None  # device(type='cpu') torch.bfloat16 (384, 384) (1, 0) 7f899e8a32a0
_frozen_param175 = None  # device(type='cpu') torch.bfloat16 (384, 384) (1, 0) 7f899e8a05a0
_frozen_param176 = None  # device(type='cpu') torch.bfloat16 (384, 384) (1, 0) 7f899e8a15e0
_frozen_param177 = None  # device(type='cpu') torch.bfloat16 (1536, 384) (1, 0) 7f899e8a1a40
_frozen_param178 = None  # device(type='cpu') torch.bfloat16 (384, 1536) (1, 0) 7f899e8a18b0


cpp_fused_add_embedding_native_layer_norm_select_0 = async_compile.cpp_pybinding(['float*', 'const int64_t*', 'const at::BFloat16*', 'const at::BFloat16*', 'const at::BFloat16*', 'const at::BFloat16*', 'const at::BFloat16*', 'float*', 'at::BFloat16*'], r'''
#include <torch/csrc/inductor/cpp_prefix.h>
extern "C"  void  kernel(float* in_out_ptr0,
                       const int64_t* in_ptr0,
                       const at::BFloat16* in_ptr1,
                       const at::BFloat16* in_ptr2,
                       const at::BFloat16* in_ptr3,
                       const at::BFloat16* in_ptr4,
                       const at::BFloat16* in_ptr5,
                       float* out_ptr1,
                       at::BFloat16* out_ptr2)
{
    std::atomic<int> inductor_cpu_integer_div_error{0};
    inductor_cpu_integer_div_error_flag = &inductor_cpu_integer_div_error;
    auto out_ptr0 = in_out_ptr0;
    {
        #pragma GCC ivdep
        for(int64_t x0=static_cast<int64_t>(0L); x0<static_cast<int64_t>(4L); x0+=static_cast<int64_t>(1L))
        {
            #pragma GCC ivdep
            for(int64_t x1=static_cast<int64_t>(0L); x1<static_cast<int64_t>(128L); x1+=static_cast<int64_t>(1L))
            {
                {
                    float tmp_acc0 = 0;
                    at::vec::VectorizedN<float,2> tmp_acc0_vec = at::vec::VectorizedN<float,2>(0);
                    for(int64_t x2=static_cast<int64_t>(0L); x2<static_cast<int64_t>(384L); x2+=static_cast<int64_t>(32L))
                    {
                        {
                            if(C10_LIKELY(x2 >= static_cast<int64_t>(0) && x2 < static_cast<int64_t>(384L)))
                            {
                                auto tmp0 = in_ptr0[static_cast<int64_t>(x1 + 256L*x0)];
                                auto tmp6 = at::vec::Vectorized<at::BFloat16>::loadu(in_ptr2 + static_cast<int64_t>(x2 + 384L*x1 + 49152L*x0), static_cast<int64_t>(32));
                                auto tmp9 = at::vec::Vectorized<at::BFloat16>::loadu(in_ptr3 + static_cast<int64_t>(x2 + 384L*x1), static_cast<int64_t>(32));
                                auto tmp1 = tmp0;
                                auto tmp2 = c10::convert<int64_t>(tmp1);
                                TORCH_CHECK((0 <= tmp2) & (tmp2 < 30522L), "index out of bounds: 0 <= tmp2 < 30522L");
                                auto tmp4 = at::vec::Vectorized<at::BFloat16>::loadu(in_ptr1 + static_cast<int64_t>(x2 + 384L*tmp0), static_cast<int64_t>(32));
                                auto tmp5 = at::vec::convert<float,2,at::BFloat16,1>(tmp4);
                                auto tmp7 = at::vec::convert<float,2,at::BFloat16,1>(tmp6);
                                auto tmp8 = tmp5 + tmp7;
                                auto tmp10 = at::vec::convert<float,2,at::BFloat16,1>(tmp9);
                                auto tmp11 = tmp8 + tmp10;
                                auto tmp12 = (tmp11);
                                tmp_acc0_vec = tmp_acc0_vec + tmp12;
                            }
                        }
                    }
                    tmp_acc0 = tmp_acc0 + at::vec::vec_reduce_all<float, 2>([](at::vec::Vectorized<float>& x, at::vec::Vectorized<float>& y) { return x + y; }, tmp_acc0_vec);
                    out_ptr0[static_cast<int64_t>(x1 + 128L*x0)] = static_cast<float>(tmp_acc0);
                }
            }
        }
    }
    {
        for(int64_t x0=static_cast<int64_t>(0L); x0<static_cast<int64_t>(512L); x0+=static_cast<int64_t>(16L))
        {
            {
                if(C10_LIKELY(x0 >= static_cast<int64_t>(0) && x0 < static_cast<int64_t>(512L)))
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
        for(int64_t x0=static_cast<int64_t>(0L); x0<static_cast<int64_t>(4L); x0+=static_cast<int64_t>(1L))
        {
            #pragma GCC ivdep
            for(int64_t x1=static_cast<int64_t>(0L); x1<static_cast<int64_t>(128L); x1+=static_cast<int64_t>(1L))
            {
                {
                    float tmp_acc0 = 0;
                    at::vec::VectorizedN<float,2> tmp_acc0_vec = at::vec::VectorizedN<float,2>(0);
                    for(int64_t x2=static_cast<int64_t>(0L); x2<static_cast<int64_t>(384L); x2+=static_cast<int64_t>(32L))
                    {
                        {
                            if(C10_LIKELY(x2 >= static_cast<int64_t>(0) && x2 < static_cast<int64_t>(384L)))
                            {
                                auto tmp0 = in_ptr0[static_cast<int64_t>(x1 + 256L*x0)];
                                auto tmp6 = at::vec::Vectorized<at::BFloat16>::loadu(in_ptr2 + static_cast<int64_t>(x2 + 384L*x1 + 49152L*x0), static_cast<int64_t>(32));
                                auto tmp9 = at::vec::Vectorized<at::BFloat16>::loadu(in_ptr3 + static_cast<int64_t>(x2 + 384L*x1), static_cast<int64_t>(32));
                                auto tmp13 = in_out_ptr0[static_cast<int64_t>(x1 + 128L*x0)];
                                auto tmp1 = tmp0;
                                auto tmp2 = c10::convert<int64_t>(tmp1);
                                TORCH_CHECK((0 <= tmp2) & (tmp2 < 30522L), "index out of bounds: 0 <= tmp2 < 30522L");
                                auto tmp4 = at::vec::Vectorized<at::BFloat16>::loadu(in_ptr1 + static_cast<int64_t>(x2 + 384L*tmp0), static_cast<int64_t>(32));
                                auto tmp5 = at::vec::convert<float,2,at::BFloat16,1>(tmp4);
                                auto tmp7 = at::vec::convert<float,2,at::BFloat16,1>(tmp6);
                                auto tmp8 = tmp5 + tmp7;
                                auto tmp10 = at::vec::convert<float,2,at::BFloat16,1>(tmp9);
                                auto tmp11 = tmp8 + tmp10;
                                auto tmp12 = (tmp11);
                                auto tmp14 = at::vec::VectorizedN<float,2>(tmp13);
                                auto tmp15 = tmp12 - tmp14;
                                auto tmp16 = tmp15 * tmp15;
                                tmp_acc0_vec = tmp_acc0_vec + tmp16;
                            }
                        }
                    }
                    tmp_acc0 = tmp_acc0 + at::vec::vec_reduce_all<float, 2>([](at::vec::Vectorized<float>& x, at::vec::Vectorized<float>& y) { return x + y; }, tmp_acc0_vec);
                    out_ptr1[static_cast<int64_t>(x1 + 128L*x0)] = static_cast<float>(tmp_acc0);
                }
                for(int64_t x2=static_cast<int64_t>(0L); x2<static_cast<int64_t>(384L); x2+=static_cast<int64_t>(32L))
                {
                    {
                        if(C10_LIKELY(x2 >= static_cast<int64_t>(0) && x2 < static_cast<int64_t>(384L)))
                        {
                            auto tmp0 = in_ptr0[static_cast<int64_t>(x1 + 256L*x0)];
                            auto tmp6 = at::vec::Vectorized<at::BFloat16>::loadu(in_ptr2 + static_cast<int64_t>(x2 + 384L*x1 + 49152L*x0), static_cast<int64_t>(32));
                            auto tmp9 = at::vec::Vectorized<at::BFloat16>::loadu(in_ptr3 + static_cast<int64_t>(x2 + 384L*x1), static_cast<int64_t>(32));
                            auto tmp13 = in_out_ptr0[static_cast<int64_t>(x1 + 128L*x0)];
                            auto tmp16 = out_ptr1[static_cast<int64_t>(x1 + 128L*x0)];
                            auto tmp24 = at::vec::Vectorized<at::BFloat16>::loadu(in_ptr4 + static_cast<int64_t>(x2), static_cast<int64_t>(32));
                            auto tmp27 = at::vec::Vectorized<at::BFloat16>::loadu(in_ptr5 + static_cast<int64_t>(x2), static_cast<int64_t>(32));
                            auto tmp1 = tmp0;
                            auto tmp2 = c10::convert<int64_t>(tmp1);
                            TORCH_CHECK((0 <= tmp2) & (tmp2 < 30522L), "index out of bounds: 0 <= tmp2 < 30522L");
                            auto tmp4 = at::vec::Vectorized<at::BFloat16>::loadu(in_ptr1 + static_cast<int64_t>(x2 + 384L*tmp0), static_cast<int64_t>(32));
                            auto tmp5 = at::vec::convert<float,2,at::BFloat16,1>(tmp4);
                            auto tmp7 = at::vec::convert<float,2,at::BFloat16,1>(tmp6);
                            auto tmp8 = tmp5 + tmp7;
                            auto tmp10 = at::vec::convert<float,2,at::BFloat16,1>(tmp9);
                            auto tmp11 = tmp8 + tmp10;
                            auto tmp12 = (tmp11);
                            auto tmp14 = at::vec::VectorizedN<float,2>(tmp13);
                            auto tmp15 = tmp12 - tmp14;
                            auto tmp17 = static_cast<float>(384.0);
                            auto tmp18 = tmp16 / tmp17;
                            auto tmp19 = static_cast<float>(1e-12);
                            auto tmp20 = float(tmp18 + tmp19);
                            auto tmp21 = 1 / std::sqrt(tmp20);
                            auto tmp22 = at::vec::VectorizedN<float,2>(tmp21);
                            auto tmp23 = tmp15 * tmp22;
                            auto tmp25 = at::vec::convert<float,2,at::BFloat16,1>(tmp24);
                            auto tmp26 = tmp23 * tmp25;
                            auto tmp28 = at::vec::convert<float,2,at::BFloat16,1>(tmp27);
                            auto tmp29 = tmp26 + tmp28;
                            auto tmp30 = at::vec::convert<at::BFloat16,1,float,2>(tmp29);
                            tmp30.store(out_ptr2 + static_cast<int64_t>(x2 + 384L*x1 + 49152L*x0), static_cast<int64_t>(32));
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


cpp_fused__scaled_dot_product_flash_attention_for_cpu__to_copy_add_arange_bitwise_and_expand_ge_index_new_ones_scalar_tensor_select_transpose_unsqueeze_view_where_1 = async_compile.cpp_pybinding(['const int64_t*', 'at::BFloat16*', 'at::BFloat16*', 'at::BFloat16*'], r'''
#include <torch/csrc/inductor/cpp_prefix.h>
extern "C"  void  kernel(const int64_t* in_ptr0,
                       at::BFloat16* out_ptr0,
                       at::BFloat16* out_ptr1,
                       at::BFloat16* out_ptr2)
{
    std::atomic<int> inductor_cpu_integer_div_error{0};
    inductor_cpu_integer_div_error_flag = &inductor_cpu_integer_div_error;
    {
        #pragma GCC ivdep
        for(int64_t x0=static_cast<int64_t>(0L); x0<static_cast<int64_t>(4L); x0+=static_cast<int64_t>(1L))
        {
            #pragma GCC ivdep
            for(int64_t x1=static_cast<int64_t>(0L); x1<static_cast<int64_t>(128L); x1+=static_cast<int64_t>(1L))
            {
                for(int64_t x2=static_cast<int64_t>(0L); x2<static_cast<int64_t>(128L); x2+=static_cast<int64_t>(32L))
                {
                    {
                        if(C10_LIKELY(x2 >= static_cast<int64_t>(0) && x2 < static_cast<int64_t>(128L)))
                        {
                            auto tmp6 = at::vec::VectorizedN<int64_t,4>::loadu(in_ptr0 + static_cast<int64_t>(128L + x2 + 256L*x0), static_cast<int64_t>(32));
                            auto tmp0 = x1;
                            auto tmp1 = c10::convert<int64_t>(tmp0);
                            auto tmp2 = static_cast<int64_t>(0);
                            auto tmp3 = tmp1 >= tmp2;
                            auto tmp4 = static_cast<bool>(true);
                            auto tmp5 = decltype(tmp4)(tmp4 & tmp3);
                            auto tmp7 = at::vec::VecMask<int64_t,4>::from<int64_t,4>(tmp6);
                            auto tmp8 = at::vec::VecMask<float,2>::from(tmp5);
                            auto tmp9 = tmp8.template cast<int32_t,2>();
                            auto tmp10 = tmp7.template cast<int32_t,2>();
                            auto tmp11 = tmp9 & tmp10;
                            auto tmp12 = static_cast<float>(0.0);
                            auto tmp13 = -std::numeric_limits<float>::infinity();
                            auto tmp14 = at::vec::VectorizedN<float,2>(tmp12);
                            auto tmp15 = at::vec::VectorizedN<float,2>(tmp13);
                            auto tmp16 = decltype(tmp14)::blendv(tmp15, tmp14, tmp11.template cast<float,2>());
                            auto tmp17 = at::vec::convert<at::BFloat16,1,float,2>(tmp16);
                            tmp17.store(out_ptr0 + static_cast<int64_t>(x2 + 128L*x1 + 16384L*x0), static_cast<int64_t>(32));
                            tmp17.store(out_ptr1 + static_cast<int64_t>(x2 + 128L*x1 + 16384L*x0), static_cast<int64_t>(32));
                            tmp17.store(out_ptr2 + static_cast<int64_t>(x2 + 128L*x1 + 16384L*x0), static_cast<int64_t>(32));
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


cpp_fused_add_native_layer_norm_transpose_view_2 = async_compile.cpp_pybinding(['float*', 'at::BFloat16*', 'const at::BFloat16*', 'const at::BFloat16*', 'float*'], r'''
#include <torch/csrc/inductor/cpp_prefix.h>
extern "C"  void  kernel(float* in_out_ptr0,
                       at::BFloat16* in_out_ptr1,
                       const at::BFloat16* in_ptr1,
                       const at::BFloat16* in_ptr2,
                       float* out_ptr1)
{
    std::atomic<int> inductor_cpu_integer_div_error{0};
    inductor_cpu_integer_div_error_flag = &inductor_cpu_integer_div_error;
    auto out_ptr0 = in_out_ptr0;
    auto in_ptr0 = in_out_ptr1;
    {
        #pragma GCC ivdep
        for(int64_t x0=static_cast<int64_t>(0L); x0<static_cast<int64_t>(512L); x0+=static_cast<int64_t>(1L))
        {
            {
                float tmp_acc0 = 0;
                at::vec::VectorizedN<float,2> tmp_acc0_vec = at::vec::VectorizedN<float,2>(0);
                for(int64_t x1=static_cast<int64_t>(0L); x1<static_cast<int64_t>(384L); x1+=static_cast<int64_t>(32L))
                {
                    {
                        if(C10_LIKELY(x1 >= static_cast<int64_t>(0) && x1 < static_cast<int64_t>(384L)))
                        {
                            auto tmp0 = at::vec::Vectorized<at::BFloat16>::loadu(in_out_ptr1 + static_cast<int64_t>(x1 + 384L*x0), static_cast<int64_t>(32));
                            auto tmp1 = at::vec::convert<float,2,at::BFloat16,1>(tmp0);
                            tmp_acc0_vec = tmp_acc0_vec + tmp1;
                        }
                    }
                }
                tmp_acc0 = tmp_acc0 + at::vec::vec_reduce_all<float, 2>([](at::vec::Vectorized<float>& x, at::vec::Vectorized<float>& y) { return x + y; }, tmp_acc0_vec);
                in_out_ptr0[static_cast<int64_t>(x0)] = static_cast<float>(tmp_acc0);
            }
        }
    }
    {
        for(int64_t x0=static_cast<int64_t>(0L); x0<static_cast<int64_t>(512L); x0+=static_cast<int64_t>(16L))
        {
            {
                if(C10_LIKELY(x0 >= static_cast<int64_t>(0) && x0 < static_cast<int64_t>(512L)))
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
        for(int64_t x0=static_cast<int64_t>(0L); x0<static_cast<int64_t>(512L); x0+=static_cast<int64_t>(1L))
        {
            {
                float tmp_acc0 = 0;
                at::vec::VectorizedN<float,2> tmp_acc0_vec = at::vec::VectorizedN<float,2>(0);
                for(int64_t x1=static_cast<int64_t>(0L); x1<static_cast<int64_t>(384L); x1+=static_cast<int64_t>(32L))
                {
                    {
                        if(C10_LIKELY(x1 >= static_cast<int64_t>(0) && x1 < static_cast<int64_t>(384L)))
                        {
                            auto tmp0 = at::vec::Vectorized<at::BFloat16>::loadu(in_out_ptr1 + static_cast<int64_t>(x1 + 384L*x0), static_cast<int64_t>(32));
                            auto tmp2 = in_out_ptr0[static_cast<int64_t>(x0)];
                            auto tmp1 = at::vec::convert<float,2,at::BFloat16,1>(tmp0);
                            auto tmp3 = at::vec::VectorizedN<float,2>(tmp2);
                            auto tmp4 = tmp1 - tmp3;
                            auto tmp5 = tmp4 * tmp4;
                            tmp_acc0_vec = tmp_acc0_vec + tmp5;
                        }
                    }
                }
                tmp_acc0 = tmp_acc0 + at::vec::vec_reduce_all<float, 2>([](at::vec::Vectorized<float>& x, at::vec::Vectorized<float>& y) { return x + y; }, tmp_acc0_vec);
                out_ptr1[static_cast<int64_t>(x0)] = static_cast<float>(tmp_acc0);
            }
        }
    }
    {
        #pragma GCC ivdep
        for(int64_t x0=static_cast<int64_t>(0L); x0<static_cast<int64_t>(512L); x0+=static_cast<int64_t>(1L))
        {
            for(int64_t x1=static_cast<int64_t>(0L); x1<static_cast<int64_t>(384L); x1+=static_cast<int64_t>(32L))
            {
                {
                    if(C10_LIKELY(x1 >= static_cast<int64_t>(0) && x1 < static_cast<int64_t>(384L)))
                    {
                        auto tmp0 = at::vec::Vectorized<at::BFloat16>::loadu(in_out_ptr1 + static_cast<int64_t>(x1 + 384L*x0), static_cast<int64_t>(32));
                        auto tmp2 = in_out_ptr0[static_cast<int64_t>(x0)];
                        auto tmp5 = out_ptr1[static_cast<int64_t>(x0)];
                        auto tmp13 = at::vec::Vectorized<at::BFloat16>::loadu(in_ptr1 + static_cast<int64_t>(x1), static_cast<int64_t>(32));
                        auto tmp16 = at::vec::Vectorized<at::BFloat16>::loadu(in_ptr2 + static_cast<int64_t>(x1), static_cast<int64_t>(32));
                        auto tmp1 = at::vec::convert<float,2,at::BFloat16,1>(tmp0);
                        auto tmp3 = at::vec::VectorizedN<float,2>(tmp2);
                        auto tmp4 = tmp1 - tmp3;
                        auto tmp6 = static_cast<float>(384.0);
                        auto tmp7 = tmp5 / tmp6;
                        auto tmp8 = static_cast<float>(1e-12);
                        auto tmp9 = float(tmp7 + tmp8);
                        auto tmp10 = 1 / std::sqrt(tmp9);
                        auto tmp11 = at::vec::VectorizedN<float,2>(tmp10);
                        auto tmp12 = tmp4 * tmp11;
                        auto tmp14 = at::vec::convert<float,2,at::BFloat16,1>(tmp13);
                        auto tmp15 = tmp12 * tmp14;
                        auto tmp17 = at::vec::convert<float,2,at::BFloat16,1>(tmp16);
                        auto tmp18 = tmp15 + tmp17;
                        auto tmp19 = at::vec::convert<at::BFloat16,1,float,2>(tmp18);
                        tmp19.store(in_out_ptr1 + static_cast<int64_t>(x1 + 384L*x0), static_cast<int64_t>(32));
                    }
                }
            }
        }
    }
    inductor_cpu_integer_div_error_flag = nullptr;
    inductor_cpu_throw_if_integer_div_error(inductor_cpu_integer_div_error);
}
''')


cpp_fused__to_copy_add_clamp_clamp_min_div_expand_gelu_linalg_vector_norm_mul_native_layer_norm_select_sum_unsqueeze_3 = async_compile.cpp_pybinding(['float*', 'const at::BFloat16*', 'const int64_t*', 'const at::BFloat16*', 'const at::BFloat16*', 'float*', 'at::BFloat16*', 'at::BFloat16*', 'float*', 'float*'], r'''
#include <torch/csrc/inductor/cpp_prefix.h>
extern "C"  void  kernel(float* in_out_ptr0,
                       const at::BFloat16* in_ptr0,
                       const int64_t* in_ptr1,
                       const at::BFloat16* in_ptr2,
                       const at::BFloat16* in_ptr3,
                       float* out_ptr1,
                       at::BFloat16* out_ptr2,
                       at::BFloat16* out_ptr3,
                       float* out_ptr4,
                       float* out_ptr5)
{
    std::atomic<int> inductor_cpu_integer_div_error{0};
    inductor_cpu_integer_div_error_flag = &inductor_cpu_integer_div_error;
    auto out_ptr0 = in_out_ptr0;
    {
        #pragma GCC ivdep
        for(int64_t x0=static_cast<int64_t>(0L); x0<static_cast<int64_t>(512L); x0+=static_cast<int64_t>(1L))
        {
            {
                float tmp_acc0 = 0;
                at::vec::VectorizedN<float,2> tmp_acc0_vec = at::vec::VectorizedN<float,2>(0);
                for(int64_t x1=static_cast<int64_t>(0L); x1<static_cast<int64_t>(384L); x1+=static_cast<int64_t>(32L))
                {
                    {
                        if(C10_LIKELY(x1 >= static_cast<int64_t>(0) && x1 < static_cast<int64_t>(384L)))
                        {
                            auto tmp0 = at::vec::Vectorized<at::BFloat16>::loadu(in_ptr0 + static_cast<int64_t>(x1 + 384L*x0), static_cast<int64_t>(32));
                            auto tmp1 = at::vec::convert<float,2,at::BFloat16,1>(tmp0);
                            tmp_acc0_vec = tmp_acc0_vec + tmp1;
                        }
                    }
                }
                tmp_acc0 = tmp_acc0 + at::vec::vec_reduce_all<float, 2>([](at::vec::Vectorized<float>& x, at::vec::Vectorized<float>& y) { return x + y; }, tmp_acc0_vec);
                in_out_ptr0[static_cast<int64_t>(x0)] = static_cast<float>(tmp_acc0);
            }
        }
    }
    {
        for(int64_t x0=static_cast<int64_t>(0L); x0<static_cast<int64_t>(512L); x0+=static_cast<int64_t>(16L))
        {
            {
                if(C10_LIKELY(x0 >= static_cast<int64_t>(0) && x0 < static_cast<int64_t>(512L)))
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
        for(int64_t x0=static_cast<int64_t>(0L); x0<static_cast<int64_t>(512L); x0+=static_cast<int64_t>(1L))
        {
            {
                float tmp_acc0 = 0;
                at::vec::VectorizedN<float,2> tmp_acc0_vec = at::vec::VectorizedN<float,2>(0);
                for(int64_t x1=static_cast<int64_t>(0L); x1<static_cast<int64_t>(384L); x1+=static_cast<int64_t>(32L))
                {
                    {
                        if(C10_LIKELY(x1 >= static_cast<int64_t>(0) && x1 < static_cast<int64_t>(384L)))
                        {
                            auto tmp0 = at::vec::Vectorized<at::BFloat16>::loadu(in_ptr0 + static_cast<int64_t>(x1 + 384L*x0), static_cast<int64_t>(32));
                            auto tmp2 = in_out_ptr0[static_cast<int64_t>(x0)];
                            auto tmp1 = at::vec::convert<float,2,at::BFloat16,1>(tmp0);
                            auto tmp3 = at::vec::VectorizedN<float,2>(tmp2);
                            auto tmp4 = tmp1 - tmp3;
                            auto tmp5 = tmp4 * tmp4;
                            tmp_acc0_vec = tmp_acc0_vec + tmp5;
                        }
                    }
                }
                tmp_acc0 = tmp_acc0 + at::vec::vec_reduce_all<float, 2>([](at::vec::Vectorized<float>& x, at::vec::Vectorized<float>& y) { return x + y; }, tmp_acc0_vec);
                out_ptr1[static_cast<int64_t>(x0)] = static_cast<float>(tmp_acc0);
            }
        }
    }
    {
        #pragma GCC ivdep
        for(int64_t x0=static_cast<int64_t>(0L); x0<static_cast<int64_t>(4L); x0+=static_cast<int64_t>(1L))
        {
            {
                float tmp_acc0 = 0;
                at::vec::VectorizedN<float,2> tmp_acc0_vec = at::vec::VectorizedN<float,2>(0);
                for(int64_t x1=static_cast<int64_t>(0L); x1<static_cast<int64_t>(128L); x1+=static_cast<int64_t>(32L))
                {
                    {
                        if(C10_LIKELY(x1 >= static_cast<int64_t>(0) && x1 < static_cast<int64_t>(128L)))
                        {
                            auto tmp0 = at::vec::VectorizedN<int64_t,4>::loadu(in_ptr1 + static_cast<int64_t>(128L + x1 + 256L*x0), static_cast<int64_t>(32));
                            auto tmp1 = at::vec::convert<float,2,int64_t,4>(tmp0);
                            tmp_acc0_vec = tmp_acc0_vec + tmp1;
                        }
                    }
                }
                tmp_acc0 = tmp_acc0 + at::vec::vec_reduce_all<float, 2>([](at::vec::Vectorized<float>& x, at::vec::Vectorized<float>& y) { return x + y; }, tmp_acc0_vec);
                out_ptr2[static_cast<int64_t>(x0)] = static_cast<at::BFloat16>(tmp_acc0);
            }
            for(int64_t x1=static_cast<int64_t>(0L); x1<static_cast<int64_t>(384L); x1+=static_cast<int64_t>(32L))
            {
                {
                    float tmp_acc0 = 0;
                    at::vec::VectorizedN<float,2> tmp_acc0_vec = at::vec::VectorizedN<float,2>(0);
                    for(int64_t x2=static_cast<int64_t>(0L); x2<static_cast<int64_t>(128L); x2+=static_cast<int64_t>(1L))
                    {
                        {
                            if(C10_LIKELY(x1 >= static_cast<int64_t>(0) && x1 < static_cast<int64_t>(384L)))
                            {
                                auto tmp0 = at::vec::Vectorized<at::BFloat16>::loadu(in_ptr0 + static_cast<int64_t>(x1 + 384L*x2 + 49152L*x0), static_cast<int64_t>(32));
                                auto tmp2 = in_out_ptr0[static_cast<int64_t>(x2 + 128L*x0)];
                                auto tmp5 = out_ptr1[static_cast<int64_t>(x2 + 128L*x0)];
                                auto tmp13 = at::vec::Vectorized<at::BFloat16>::loadu(in_ptr2 + static_cast<int64_t>(x1), static_cast<int64_t>(32));
                                auto tmp16 = at::vec::Vectorized<at::BFloat16>::loadu(in_ptr3 + static_cast<int64_t>(x1), static_cast<int64_t>(32));
                                auto tmp20 = in_ptr1[static_cast<int64_t>(128L + x2 + 256L*x0)];
                                auto tmp1 = at::vec::convert<float,2,at::BFloat16,1>(tmp0);
                                auto tmp3 = at::vec::VectorizedN<float,2>(tmp2);
                                auto tmp4 = tmp1 - tmp3;
                                auto tmp6 = static_cast<float>(384.0);
                                auto tmp7 = tmp5 / tmp6;
                                auto tmp8 = static_cast<float>(1e-12);
                                auto tmp9 = float(tmp7 + tmp8);
                                auto tmp10 = 1 / std::sqrt(tmp9);
                                auto tmp11 = at::vec::VectorizedN<float,2>(tmp10);
                                auto tmp12 = tmp4 * tmp11;
                                auto tmp14 = at::vec::convert<float,2,at::BFloat16,1>(tmp13);
                                auto tmp15 = tmp12 * tmp14;
                                auto tmp17 = at::vec::convert<float,2,at::BFloat16,1>(tmp16);
                                auto tmp18 = tmp15 + tmp17;
                                auto tmp19 = (tmp18);
                                auto tmp21 = c10::convert<float>(tmp20);
                                auto tmp22 = at::vec::VectorizedN<float,2>(tmp21);
                                auto tmp23 = tmp19 * tmp22;
                                tmp_acc0_vec = tmp_acc0_vec + tmp23;
                            }
                        }
                    }
                    if(C10_LIKELY(x1 >= static_cast<int64_t>(0) && x1 < static_cast<int64_t>(384L)))
                    {
                        auto at_BFloat16_tmp_acc0_vec = at::vec::convert<at::BFloat16,1,float,2>(tmp_acc0_vec);
                        at_BFloat16_tmp_acc0_vec.store(out_ptr3 + static_cast<int64_t>(x1 + 384L*x0), static_cast<int64_t>(32));
                    }
                }
            }
            {
                float tmp_acc0 = 0;
                at::vec::VectorizedN<float,2> tmp_acc0_vec = at::vec::VectorizedN<float,2>(0);
                for(int64_t x1=static_cast<int64_t>(0L); x1<static_cast<int64_t>(384L); x1+=static_cast<int64_t>(32L))
                {
                    {
                        if(C10_LIKELY(x1 >= static_cast<int64_t>(0) && x1 < static_cast<int64_t>(384L)))
                        {
                            auto tmp0 = at::vec::Vectorized<at::BFloat16>::loadu(out_ptr3 + static_cast<int64_t>(x1 + 384L*x0), static_cast<int64_t>(32));
                            auto tmp2 = out_ptr2[static_cast<int64_t>(x0)];
                            auto tmp1 = at::vec::convert<float,2,at::BFloat16,1>(tmp0);
                            auto tmp3 = c10::convert<float>(tmp2);
                            auto tmp4 = static_cast<float>(1e-09);
                            auto tmp5 = max_propagate_nan(tmp3, tmp4);
                            auto tmp6 = c10::convert<float>(tmp5);
                            auto tmp7 = at::vec::VectorizedN<float,2>(tmp6);
                            auto tmp8 = tmp1 / tmp7;
                            auto tmp9 = (tmp8);
                            auto tmp10 = tmp9 * tmp9;
                            tmp_acc0_vec = tmp_acc0_vec + tmp10;
                        }
                    }
                }
                tmp_acc0 = tmp_acc0 + at::vec::vec_reduce_all<float, 2>([](at::vec::Vectorized<float>& x, at::vec::Vectorized<float>& y) { return x + y; }, tmp_acc0_vec);
                out_ptr4[static_cast<int64_t>(x0)] = static_cast<float>(tmp_acc0);
            }
            for(int64_t x1=static_cast<int64_t>(0L); x1<static_cast<int64_t>(384L); x1+=static_cast<int64_t>(32L))
            {
                {
                    if(C10_LIKELY(x1 >= static_cast<int64_t>(0) && x1 < static_cast<int64_t>(384L)))
                    {
                        auto tmp0 = at::vec::Vectorized<at::BFloat16>::loadu(out_ptr3 + static_cast<int64_t>(x1 + 384L*x0), static_cast<int64_t>(32));
                        auto tmp2 = out_ptr2[static_cast<int64_t>(x0)];
                        auto tmp9 = out_ptr4[static_cast<int64_t>(x0)];
                        auto tmp1 = at::vec::convert<float,2,at::BFloat16,1>(tmp0);
                        auto tmp3 = c10::convert<float>(tmp2);
                        auto tmp4 = static_cast<float>(1e-09);
                        auto tmp5 = max_propagate_nan(tmp3, tmp4);
                        auto tmp6 = c10::convert<float>(tmp5);
                        auto tmp7 = at::vec::VectorizedN<float,2>(tmp6);
                        auto tmp8 = tmp1 / tmp7;
                        auto tmp10 = std::sqrt(tmp9);
                        auto tmp11 = c10::convert<float>(tmp10);
                        auto tmp12 = static_cast<float>(1e-12);
                        auto tmp13 = max_propagate_nan(tmp11, tmp12);
                        auto tmp14 = at::vec::VectorizedN<float,2>(tmp13);
                        auto tmp15 = tmp8 / tmp14;
                        auto tmp16 = (tmp15);
                        tmp16.store(out_ptr5 + static_cast<int64_t>(x1 + 384L*x0));
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
        assert_size_stride(arg105_1, (4, 2, 128), (256, 128, 1), 'input')
        buf0 = empty_strided_cpu((4, 128, 1), (128, 1, 512), torch.float32)
        buf1 = buf0; del buf0  # reuse
        buf2 = empty_strided_cpu((4, 128, 1), (128, 1, 512), torch.float32)
        buf3 = empty_strided_cpu((4, 128, 384), (49152, 384, 1), torch.bfloat16)
        cpp_fused_add_embedding_native_layer_norm_select_0(buf1, arg105_1, _frozen_param0, _frozen_param105, _frozen_param106, _frozen_param3, _frozen_param4, buf2, buf3)
        # Topologically Sorted Source Nodes: [linear], Original ATen: [aten.view]
        buf4 = torch.ops.mkldnn._linear_pointwise.default(reinterpret_tensor(buf3, (512, 384), (384, 1), 0), _frozen_param143, _frozen_param6, 'none', [-1], '')
        buf5 = buf4
        assert_size_stride(buf5, (512, 384), (384, 1), 'torch.ops.mkldnn._linear_pointwise.default')
        assert_alignment(buf5, 16, 'torch.ops.mkldnn._linear_pointwise.default')
        del buf4
        # Topologically Sorted Source Nodes: [linear_1], Original ATen: [aten.view]
        buf6 = torch.ops.mkldnn._linear_pointwise.default(reinterpret_tensor(buf3, (512, 384), (384, 1), 0), _frozen_param144, _frozen_param8, 'none', [-1], '')
        buf7 = buf6
        assert_size_stride(buf7, (512, 384), (384, 1), 'torch.ops.mkldnn._linear_pointwise.default')
        assert_alignment(buf7, 16, 'torch.ops.mkldnn._linear_pointwise.default')
        del buf6
        # Topologically Sorted Source Nodes: [linear_2], Original ATen: [aten.view]
        buf8 = torch.ops.mkldnn._linear_pointwise.default(reinterpret_tensor(buf3, (512, 384), (384, 1), 0), _frozen_param145, _frozen_param10, 'none', [-1], '')
        buf9 = buf8
        assert_size_stride(buf9, (512, 384), (384, 1), 'torch.ops.mkldnn._linear_pointwise.default')
        assert_alignment(buf9, 16, 'torch.ops.mkldnn._linear_pointwise.default')
        del buf8
        buf10 = empty_strided_cpu((4, 1, 128, 128), (16384, 16384, 128, 1), torch.bfloat16)
        buf34 = empty_strided_cpu((4, 1, 128, 128), (16384, 16384, 128, 1), torch.bfloat16)
        buf58 = empty_strided_cpu((4, 1, 128, 128), (16384, 16384, 128, 1), torch.bfloat16)
        cpp_fused__scaled_dot_product_flash_attention_for_cpu__to_copy_add_arange_bitwise_and_expand_ge_index_new_ones_scalar_tensor_select_transpose_unsqueeze_view_where_1(arg105_1, buf10, buf34, buf58)
        # Topologically Sorted Source Nodes: [linear, view, query_layer, linear_1, view_1, key_layer, linear_2, view_2, value_layer, result, arange_2, q_arange, q_indices, ge, result_1, mask, attention_mask, batch_arange, batch_indices, kv_indices, getitem_7, result_2, attention_mask_1, attn_output], Original ATen: [aten.view, aten.transpose, aten.new_ones, aten.arange, aten.add, aten.unsqueeze, aten.ge, aten.bitwise_and, aten.select, aten._to_copy, aten.index, aten.expand, aten.scalar_tensor, aten.where, aten._scaled_dot_product_flash_attention_for_cpu]
        buf11 = torch.ops.aten._scaled_dot_product_flash_attention_for_cpu.default(reinterpret_tensor(buf5, (4, 12, 128, 32), (49152, 32, 384, 1), 0), reinterpret_tensor(buf7, (4, 12, 128, 32), (49152, 32, 384, 1), 0), reinterpret_tensor(buf9, (4, 12, 128, 32), (49152, 32, 384, 1), 0), attn_mask=buf10, scale=0.1767766952966369)
        del buf10
        del buf5
        del buf7
        del buf9
        buf12 = buf11[0]
        assert_size_stride(buf12, (4, 12, 128, 32), (49152, 32, 384, 1), 'torch.ops.aten._scaled_dot_product_flash_attention_for_cpu.default')
        assert_alignment(buf12, 16, 'torch.ops.aten._scaled_dot_product_flash_attention_for_cpu.default')
        del buf11
        # Topologically Sorted Source Nodes: [transpose_3, reshape_1, add_4], Original ATen: [aten.transpose, aten.view, aten.add]
        buf14 = torch.ops.mkldnn._linear_pointwise.binary(reinterpret_tensor(buf12, (512, 384), (384, 1), 0), reinterpret_tensor(buf3, (512, 384), (384, 1), 0), _frozen_param146, _frozen_param12, 'add')
        del buf12
        del buf3
        buf15 = buf14
        assert_size_stride(buf15, (512, 384), (384, 1), "torch._inductor.fx_passes.functools.partial(<function _register_binary_unary_fusion_lowering.<locals>.fn at 0x7f89a01d1bc0>, Match(..., [view_10, _reorder_linear_weight_32, arg12_1, 'none', [], ''], {'other': convert_element_type_1}))")
        assert_alignment(buf15, 16, "torch._inductor.fx_passes.functools.partial(<function _register_binary_unary_fusion_lowering.<locals>.fn at 0x7f89a01d1bc0>, Match(..., [view_10, _reorder_linear_weight_32, arg12_1, 'none', [], ''], {'other': convert_element_type_1}))")
        del buf14
        buf16 = buf2; del buf2  # reuse
        buf17 = buf16; del buf16  # reuse
        buf18 = buf1; del buf1  # reuse
        buf19 = reinterpret_tensor(buf15, (4, 128, 384), (49152, 384, 1), 0); del buf15  # reuse
        cpp_fused_add_native_layer_norm_transpose_view_2(buf17, buf19, _frozen_param13, _frozen_param14, buf18)
        del buf17
        del buf18
        # Topologically Sorted Source Nodes: [hidden_states_4], Original ATen: [aten.gelu]
        buf20 = torch.ops.mkldnn._linear_pointwise.default(reinterpret_tensor(buf19, (512, 384), (384, 1), 0), _frozen_param147, _frozen_param16, 'gelu', [-1], 'none')
        buf21 = buf20
        assert_size_stride(buf21, (512, 1536), (1536, 1), "torch._inductor.fx_passes.functools.partial(<function _register_unary_fusion_lowering.<locals>.fn at 0x7f89a013f7e0>, Match(..., [convert_element_type_18, _reorder_linear_weight_31, arg16_1, 'none', [], ''], {'to_float': torch.float32, 'to_bf16': torch.bfloat16}))")
        assert_alignment(buf21, 16, "torch._inductor.fx_passes.functools.partial(<function _register_unary_fusion_lowering.<locals>.fn at 0x7f89a013f7e0>, Match(..., [convert_element_type_18, _reorder_linear_weight_31, arg16_1, 'none', [], ''], {'to_float': torch.float32, 'to_bf16': torch.bfloat16}))")
        del buf20
        # Topologically Sorted Source Nodes: [hidden_states_4, add_5], Original ATen: [aten.gelu, aten.add]
        buf22 = torch.ops.mkldnn._linear_pointwise.binary(buf21, reinterpret_tensor(buf19, (512, 384), (384, 1), 0), _frozen_param148, _frozen_param18, 'add')
        del buf19
        del buf21
        buf23 = buf22
        assert_size_stride(buf23, (512, 384), (384, 1), "torch._inductor.fx_passes.functools.partial(<function _register_binary_unary_fusion_lowering.<locals>.fn at 0x7f89a01d1bc0>, Match(..., [convert_element_type_25, _reorder_linear_weight_30, arg18_1, 'none', [], ''], {'other': convert_element_type_18}))")
        assert_alignment(buf23, 16, "torch._inductor.fx_passes.functools.partial(<function _register_binary_unary_fusion_lowering.<locals>.fn at 0x7f89a01d1bc0>, Match(..., [convert_element_type_25, _reorder_linear_weight_30, arg18_1, 'none', [], ''], {'other': convert_element_type_18}))")
        del buf22
        buf24 = empty_strided_cpu((4, 128, 1), (128, 1, 512), torch.float32)
        buf25 = buf24; del buf24  # reuse
        buf26 = empty_strided_cpu((4, 128, 1), (128, 1, 512), torch.float32)
        buf27 = reinterpret_tensor(buf23, (4, 128, 384), (49152, 384, 1), 0); del buf23  # reuse
        cpp_fused_add_native_layer_norm_transpose_view_2(buf25, buf27, _frozen_param19, _frozen_param20, buf26)
        # Topologically Sorted Source Nodes: [linear_6], Original ATen: [aten.view]
        buf28 = torch.ops.mkldnn._linear_pointwise.default(reinterpret_tensor(buf27, (512, 384), (384, 1), 0), _frozen_param149, _frozen_param22, 'none', [-1], '')
        buf29 = buf28
        assert_size_stride(buf29, (512, 384), (384, 1), 'torch.ops.mkldnn._linear_pointwise.default')
        assert_alignment(buf29, 16, 'torch.ops.mkldnn._linear_pointwise.default')
        del buf28
        # Topologically Sorted Source Nodes: [linear_7], Original ATen: [aten.view]
        buf30 = torch.ops.mkldnn._linear_pointwise.default(reinterpret_tensor(buf27, (512, 384), (384, 1), 0), _frozen_param150, _frozen_param24, 'none', [-1], '')
        buf31 = buf30
        assert_size_stride(buf31, (512, 384), (384, 1), 'torch.ops.mkldnn._linear_pointwise.default')
        assert_alignment(buf31, 16, 'torch.ops.mkldnn._linear_pointwise.default')
        del buf30
        # Topologically Sorted Source Nodes: [linear_8], Original ATen: [aten.view]
        buf32 = torch.ops.mkldnn._linear_pointwise.default(reinterpret_tensor(buf27, (512, 384), (384, 1), 0), _frozen_param151, _frozen_param26, 'none', [-1], '')
        buf33 = buf32
        assert_size_stride(buf33, (512, 384), (384, 1), 'torch.ops.mkldnn._linear_pointwise.default')
        assert_alignment(buf33, 16, 'torch.ops.mkldnn._linear_pointwise.default')
        del buf32
        # Topologically Sorted Source Nodes: [result, arange_2, q_arange, q_indices, ge, result_1, mask, attention_mask, batch_arange, batch_indices, kv_indices, getitem_7, result_2, attention_mask_1, attn_output, linear_6, view_3, query_layer_1, linear_7, view_4, key_layer_1, linear_8, view_5, value_layer_1, attn_output_4], Original ATen: [aten.new_ones, aten.arange, aten.add, aten.unsqueeze, aten.ge, aten.bitwise_and, aten.select, aten._to_copy, aten.index, aten.expand, aten.scalar_tensor, aten.where, aten.view, aten.transpose, aten._scaled_dot_product_flash_attention_for_cpu]
        buf35 = torch.ops.aten._scaled_dot_product_flash_attention_for_cpu.default(reinterpret_tensor(buf29, (4, 12, 128, 32), (49152, 32, 384, 1), 0), reinterpret_tensor(buf31, (4, 12, 128, 32), (49152, 32, 384, 1), 0), reinterpret_tensor(buf33, (4, 12, 128, 32), (49152, 32, 384, 1), 0), attn_mask=buf34, scale=0.1767766952966369)
        del buf29
        del buf31
        del buf33
        del buf34
        buf36 = buf35[0]
        assert_size_stride(buf36, (4, 12, 128, 32), (49152, 32, 384, 1), 'torch.ops.aten._scaled_dot_product_flash_attention_for_cpu.default')
        assert_alignment(buf36, 16, 'torch.ops.aten._scaled_dot_product_flash_attention_for_cpu.default')
        del buf35
        # Topologically Sorted Source Nodes: [transpose_7, reshape_3, add_6], Original ATen: [aten.transpose, aten.view, aten.add]
        buf38 = torch.ops.mkldnn._linear_pointwise.binary(reinterpret_tensor(buf36, (512, 384), (384, 1), 0), reinterpret_tensor(buf27, (512, 384), (384, 1), 0), _frozen_param152, _frozen_param28, 'add')
        del buf27
        del buf36
        buf39 = buf38
        assert_size_stride(buf39, (512, 384), (384, 1), "torch._inductor.fx_passes.functools.partial(<function _register_binary_unary_fusion_lowering.<locals>.fn at 0x7f89a01d1bc0>, Match(..., [view_27, _reorder_linear_weight_26, arg28_1, 'none', [], ''], {'other': convert_element_type_30}))")
        assert_alignment(buf39, 16, "torch._inductor.fx_passes.functools.partial(<function _register_binary_unary_fusion_lowering.<locals>.fn at 0x7f89a01d1bc0>, Match(..., [view_27, _reorder_linear_weight_26, arg28_1, 'none', [], ''], {'other': convert_element_type_30}))")
        del buf38
        buf40 = buf26; del buf26  # reuse
        buf41 = buf40; del buf40  # reuse
        buf42 = buf25; del buf25  # reuse
        buf43 = reinterpret_tensor(buf39, (4, 128, 384), (49152, 384, 1), 0); del buf39  # reuse
        cpp_fused_add_native_layer_norm_transpose_view_2(buf41, buf43, _frozen_param29, _frozen_param30, buf42)
        # Topologically Sorted Source Nodes: [hidden_states_12], Original ATen: [aten.gelu]
        buf44 = torch.ops.mkldnn._linear_pointwise.default(reinterpret_tensor(buf43, (512, 384), (384, 1), 0), _frozen_param153, _frozen_param32, 'gelu', [-1], 'none')
        buf45 = buf44
        assert_size_stride(buf45, (512, 1536), (1536, 1), "torch._inductor.fx_passes.functools.partial(<function _register_unary_fusion_lowering.<locals>.fn at 0x7f89a013f7e0>, Match(..., [convert_element_type_46, _reorder_linear_weight_25, arg32_1, 'none', [], ''], {'to_float': torch.float32, 'to_bf16': torch.bfloat16}))")
        assert_alignment(buf45, 16, "torch._inductor.fx_passes.functools.partial(<function _register_unary_fusion_lowering.<locals>.fn at 0x7f89a013f7e0>, Match(..., [convert_element_type_46, _reorder_linear_weight_25, arg32_1, 'none', [], ''], {'to_float': torch.float32, 'to_bf16': torch.bfloat16}))")
        del buf44
        # Topologically Sorted Source Nodes: [hidden_states_12, add_7], Original ATen: [aten.gelu, aten.add]
        buf46 = torch.ops.mkldnn._linear_pointwise.binary(buf45, reinterpret_tensor(buf43, (512, 384), (384, 1), 0), _frozen_param154, _frozen_param34, 'add')
        del buf43
        del buf45
        buf47 = buf46
        assert_size_stride(buf47, (512, 384), (384, 1), "torch._inductor.fx_passes.functools.partial(<function _register_binary_unary_fusion_lowering.<locals>.fn at 0x7f89a01d1bc0>, Match(..., [convert_element_type_53, _reorder_linear_weight_24, arg34_1, 'none', [], ''], {'other': convert_element_type_46}))")
        assert_alignment(buf47, 16, "torch._inductor.fx_passes.functools.partial(<function _register_binary_unary_fusion_lowering.<locals>.fn at 0x7f89a01d1bc0>, Match(..., [convert_element_type_53, _reorder_linear_weight_24, arg34_1, 'none', [], ''], {'other': convert_element_type_46}))")
        del buf46
        buf48 = buf42; del buf42  # reuse
        buf49 = buf48; del buf48  # reuse
        buf50 = buf41; del buf41  # reuse
        buf51 = reinterpret_tensor(buf47, (4, 128, 384), (49152, 384, 1), 0); del buf47  # reuse
        cpp_fused_add_native_layer_norm_transpose_view_2(buf49, buf51, _frozen_param35, _frozen_param36, buf50)
        # Topologically Sorted Source Nodes: [linear_12], Original ATen: [aten.view]
        buf52 = torch.ops.mkldnn._linear_pointwise.default(reinterpret_tensor(buf51, (512, 384), (384, 1), 0), _frozen_param155, _frozen_param38, 'none', [-1], '')
        buf53 = buf52
        assert_size_stride(buf53, (512, 384), (384, 1), 'torch.ops.mkldnn._linear_pointwise.default')
        assert_alignment(buf53, 16, 'torch.ops.mkldnn._linear_pointwise.default')
        del buf52
        # Topologically Sorted Source Nodes: [linear_13], Original ATen: [aten.view]
        buf54 = torch.ops.mkldnn._linear_pointwise.default(reinterpret_tensor(buf51, (512, 384), (384, 1), 0), _frozen_param156, _frozen_param40, 'none', [-1], '')
        buf55 = buf54
        assert_size_stride(buf55, (512, 384), (384, 1), 'torch.ops.mkldnn._linear_pointwise.default')
        assert_alignment(buf55, 16, 'torch.ops.mkldnn._linear_pointwise.default')
        del buf54
        # Topologically Sorted Source Nodes: [linear_14], Original ATen: [aten.view]
        buf56 = torch.ops.mkldnn._linear_pointwise.default(reinterpret_tensor(buf51, (512, 384), (384, 1), 0), _frozen_param157, _frozen_param42, 'none', [-1], '')
        buf57 = buf56
        assert_size_stride(buf57, (512, 384), (384, 1), 'torch.ops.mkldnn._linear_pointwise.default')
        assert_alignment(buf57, 16, 'torch.ops.mkldnn._linear_pointwise.default')
        del buf56
        # Topologically Sorted Source Nodes: [result, arange_2, q_arange, q_indices, ge, result_1, mask, attention_mask, batch_arange, batch_indices, kv_indices, getitem_7, result_2, attention_mask_1, attn_output, linear_12, view_6, query_layer_2, linear_13, view_7, key_layer_2, linear_14, view_8, value_layer_2, attn_output_8], Original ATen: [aten.new_ones, aten.arange, aten.add, aten.unsqueeze, aten.ge, aten.bitwise_and, aten.select, aten._to_copy, aten.index, aten.expand, aten.scalar_tensor, aten.where, aten.view, aten.transpose, aten._scaled_dot_product_flash_attention_for_cpu]
        buf59 = torch.ops.aten._scaled_dot_product_flash_attention_for_cpu.default(reinterpret_tensor(buf53, (4, 12, 128, 32), (49152, 32, 384, 1), 0), reinterpret_tensor(buf55, (4, 12, 128, 32), (49152, 32, 384, 1), 0), reinterpret_tensor(buf57, (4, 12, 128, 32), (49152, 32, 384, 1), 0), attn_mask=buf58, scale=0.1767766952966369)
        del buf53
        del buf55
        del buf57
        buf60 = buf59[0]
        assert_size_stride(buf60, (4, 12, 128, 32), (49152, 32, 384, 1), 'torch.ops.aten._scaled_dot_product_flash_attention_for_cpu.default')
        assert_alignment(buf60, 16, 'torch.ops.aten._scaled_dot_product_flash_attention_for_cpu.default')
        del buf59
        # Topologically Sorted Source Nodes: [transpose_11, reshape_5, add_8], Original ATen: [aten.transpose, aten.view, aten.add]
        buf62 = torch.ops.mkldnn._linear_pointwise.binary(reinterpret_tensor(buf60, (512, 384), (384, 1), 0), reinterpret_tensor(buf51, (512, 384), (384, 1), 0), _frozen_param158, _frozen_param44, 'add')
        del buf51
        del buf60
        buf63 = buf62
        assert_size_stride(buf63, (512, 384), (384, 1), "torch._inductor.fx_passes.functools.partial(<function _register_binary_unary_fusion_lowering.<locals>.fn at 0x7f89a01d1bc0>, Match(..., [view_44, _reorder_linear_weight_20, arg44_1, 'none', [], ''], {'other': convert_element_type_58}))")
        assert_alignment(buf63, 16, "torch._inductor.fx_passes.functools.partial(<function _register_binary_unary_fusion_lowering.<locals>.fn at 0x7f89a01d1bc0>, Match(..., [view_44, _reorder_linear_weight_20, arg44_1, 'none', [], ''], {'other': convert_element_type_58}))")
        del buf62
        buf64 = buf50; del buf50  # reuse
        buf65 = buf64; del buf64  # reuse
        buf66 = buf49; del buf49  # reuse
        buf67 = reinterpret_tensor(buf63, (4, 128, 384), (49152, 384, 1), 0); del buf63  # reuse
        cpp_fused_add_native_layer_norm_transpose_view_2(buf65, buf67, _frozen_param45, _frozen_param46, buf66)
        # Topologically Sorted Source Nodes: [hidden_states_20], Original ATen: [aten.gelu]
        buf68 = torch.ops.mkldnn._linear_pointwise.default(reinterpret_tensor(buf67, (512, 384), (384, 1), 0), _frozen_param159, _frozen_param48, 'gelu', [-1], 'none')
        buf69 = buf68
        assert_size_stride(buf69, (512, 1536), (1536, 1), "torch._inductor.fx_passes.functools.partial(<function _register_unary_fusion_lowering.<locals>.fn at 0x7f89a013f7e0>, Match(..., [convert_element_type_74, _reorder_linear_weight_19, arg48_1, 'none', [], ''], {'to_float': torch.float32, 'to_bf16': torch.bfloat16}))")
        assert_alignment(buf69, 16, "torch._inductor.fx_passes.functools.partial(<function _register_unary_fusion_lowering.<locals>.fn at 0x7f89a013f7e0>, Match(..., [convert_element_type_74, _reorder_linear_weight_19, arg48_1, 'none', [], ''], {'to_float': torch.float32, 'to_bf16': torch.bfloat16}))")
        del buf68
        # Topologically Sorted Source Nodes: [hidden_states_20, add_9], Original ATen: [aten.gelu, aten.add]
        buf70 = torch.ops.mkldnn._linear_pointwise.binary(buf69, reinterpret_tensor(buf67, (512, 384), (384, 1), 0), _frozen_param160, _frozen_param50, 'add')
        del buf67
        del buf69
        buf71 = buf70
        assert_size_stride(buf71, (512, 384), (384, 1), "torch._inductor.fx_passes.functools.partial(<function _register_binary_unary_fusion_lowering.<locals>.fn at 0x7f89a01d1bc0>, Match(..., [convert_element_type_81, _reorder_linear_weight_18, arg50_1, 'none', [], ''], {'other': convert_element_type_74}))")
        assert_alignment(buf71, 16, "torch._inductor.fx_passes.functools.partial(<function _register_binary_unary_fusion_lowering.<locals>.fn at 0x7f89a01d1bc0>, Match(..., [convert_element_type_81, _reorder_linear_weight_18, arg50_1, 'none', [], ''], {'other': convert_element_type_74}))")
        del buf70
        buf72 = buf66; del buf66  # reuse
        buf73 = buf72; del buf72  # reuse
        buf74 = buf65; del buf65  # reuse
        buf75 = reinterpret_tensor(buf71, (4, 128, 384), (49152, 384, 1), 0); del buf71  # reuse
        cpp_fused_add_native_layer_norm_transpose_view_2(buf73, buf75, _frozen_param51, _frozen_param52, buf74)
        # Topologically Sorted Source Nodes: [linear_18], Original ATen: [aten.view]
        buf76 = torch.ops.mkldnn._linear_pointwise.default(reinterpret_tensor(buf75, (512, 384), (384, 1), 0), _frozen_param161, _frozen_param54, 'none', [-1], '')
        buf77 = buf76
        assert_size_stride(buf77, (512, 384), (384, 1), 'torch.ops.mkldnn._linear_pointwise.default')
        assert_alignment(buf77, 16, 'torch.ops.mkldnn._linear_pointwise.default')
        del buf76
        # Topologically Sorted Source Nodes: [linear_19], Original ATen: [aten.view]
        buf78 = torch.ops.mkldnn._linear_pointwise.default(reinterpret_tensor(buf75, (512, 384), (384, 1), 0), _frozen_param162, _frozen_param56, 'none', [-1], '')
        buf79 = buf78
        assert_size_stride(buf79, (512, 384), (384, 1), 'torch.ops.mkldnn._linear_pointwise.default')
        assert_alignment(buf79, 16, 'torch.ops.mkldnn._linear_pointwise.default')
        del buf78
        # Topologically Sorted Source Nodes: [linear_20], Original ATen: [aten.view]
        buf80 = torch.ops.mkldnn._linear_pointwise.default(reinterpret_tensor(buf75, (512, 384), (384, 1), 0), _frozen_param163, _frozen_param58, 'none', [-1], '')
        buf81 = buf80
        assert_size_stride(buf81, (512, 384), (384, 1), 'torch.ops.mkldnn._linear_pointwise.default')
        assert_alignment(buf81, 16, 'torch.ops.mkldnn._linear_pointwise.default')
        del buf80
        buf82 = buf58; del buf58  # reuse
        buf106 = empty_strided_cpu((4, 1, 128, 128), (16384, 16384, 128, 1), torch.bfloat16)
        buf130 = empty_strided_cpu((4, 1, 128, 128), (16384, 16384, 128, 1), torch.bfloat16)
        cpp_fused__scaled_dot_product_flash_attention_for_cpu__to_copy_add_arange_bitwise_and_expand_ge_index_new_ones_scalar_tensor_select_transpose_unsqueeze_view_where_1(arg105_1, buf82, buf106, buf130)
        # Topologically Sorted Source Nodes: [result, arange_2, q_arange, q_indices, ge, result_1, mask, attention_mask, batch_arange, batch_indices, kv_indices, getitem_7, result_2, attention_mask_1, attn_output, linear_18, view_9, query_layer_3, linear_19, view_10, key_layer_3, linear_20, view_11, value_layer_3, attn_output_12], Original ATen: [aten.new_ones, aten.arange, aten.add, aten.unsqueeze, aten.ge, aten.bitwise_and, aten.select, aten._to_copy, aten.index, aten.expand, aten.scalar_tensor, aten.where, aten.view, aten.transpose, aten._scaled_dot_product_flash_attention_for_cpu]
        buf83 = torch.ops.aten._scaled_dot_product_flash_attention_for_cpu.default(reinterpret_tensor(buf77, (4, 12, 128, 32), (49152, 32, 384, 1), 0), reinterpret_tensor(buf79, (4, 12, 128, 32), (49152, 32, 384, 1), 0), reinterpret_tensor(buf81, (4, 12, 128, 32), (49152, 32, 384, 1), 0), attn_mask=buf82, scale=0.1767766952966369)
        del buf77
        del buf79
        del buf81
        del buf82
        buf84 = buf83[0]
        assert_size_stride(buf84, (4, 12, 128, 32), (49152, 32, 384, 1), 'torch.ops.aten._scaled_dot_product_flash_attention_for_cpu.default')
        assert_alignment(buf84, 16, 'torch.ops.aten._scaled_dot_product_flash_attention_for_cpu.default')
        del buf83
        # Topologically Sorted Source Nodes: [transpose_15, reshape_7, add_10], Original ATen: [aten.transpose, aten.view, aten.add]
        buf86 = torch.ops.mkldnn._linear_pointwise.binary(reinterpret_tensor(buf84, (512, 384), (384, 1), 0), reinterpret_tensor(buf75, (512, 384), (384, 1), 0), _frozen_param164, _frozen_param60, 'add')
        del buf75
        del buf84
        buf87 = buf86
        assert_size_stride(buf87, (512, 384), (384, 1), "torch._inductor.fx_passes.functools.partial(<function _register_binary_unary_fusion_lowering.<locals>.fn at 0x7f89a01d1bc0>, Match(..., [view_61, _reorder_linear_weight_14, arg60_1, 'none', [], ''], {'other': convert_element_type_86}))")
        assert_alignment(buf87, 16, "torch._inductor.fx_passes.functools.partial(<function _register_binary_unary_fusion_lowering.<locals>.fn at 0x7f89a01d1bc0>, Match(..., [view_61, _reorder_linear_weight_14, arg60_1, 'none', [], ''], {'other': convert_element_type_86}))")
        del buf86
        buf88 = buf74; del buf74  # reuse
        buf89 = buf88; del buf88  # reuse
        buf90 = buf73; del buf73  # reuse
        buf91 = reinterpret_tensor(buf87, (4, 128, 384), (49152, 384, 1), 0); del buf87  # reuse
        cpp_fused_add_native_layer_norm_transpose_view_2(buf89, buf91, _frozen_param61, _frozen_param62, buf90)
        del buf89
        del buf90
        # Topologically Sorted Source Nodes: [hidden_states_28], Original ATen: [aten.gelu]
        buf92 = torch.ops.mkldnn._linear_pointwise.default(reinterpret_tensor(buf91, (512, 384), (384, 1), 0), _frozen_param165, _frozen_param64, 'gelu', [-1], 'none')
        buf93 = buf92
        assert_size_stride(buf93, (512, 1536), (1536, 1), "torch._inductor.fx_passes.functools.partial(<function _register_unary_fusion_lowering.<locals>.fn at 0x7f89a013f7e0>, Match(..., [convert_element_type_102, _reorder_linear_weight_13, arg64_1, 'none', [], ''], {'to_float': torch.float32, 'to_bf16': torch.bfloat16}))")
        assert_alignment(buf93, 16, "torch._inductor.fx_passes.functools.partial(<function _register_unary_fusion_lowering.<locals>.fn at 0x7f89a013f7e0>, Match(..., [convert_element_type_102, _reorder_linear_weight_13, arg64_1, 'none', [], ''], {'to_float': torch.float32, 'to_bf16': torch.bfloat16}))")
        del buf92
        # Topologically Sorted Source Nodes: [hidden_states_28, add_11], Original ATen: [aten.gelu, aten.add]
        buf94 = torch.ops.mkldnn._linear_pointwise.binary(buf93, reinterpret_tensor(buf91, (512, 384), (384, 1), 0), _frozen_param166, _frozen_param66, 'add')
        del buf91
        del buf93
        buf95 = buf94
        assert_size_stride(buf95, (512, 384), (384, 1), "torch._inductor.fx_passes.functools.partial(<function _register_binary_unary_fusion_lowering.<locals>.fn at 0x7f89a01d1bc0>, Match(..., [convert_element_type_109, _reorder_linear_weight_12, arg66_1, 'none', [], ''], {'other': convert_element_type_102}))")
        assert_alignment(buf95, 16, "torch._inductor.fx_passes.functools.partial(<function _register_binary_unary_fusion_lowering.<locals>.fn at 0x7f89a01d1bc0>, Match(..., [convert_element_type_109, _reorder_linear_weight_12, arg66_1, 'none', [], ''], {'other': convert_element_type_102}))")
        del buf94
        buf96 = empty_strided_cpu((4, 128, 1), (128, 1, 512), torch.float32)
        buf97 = buf96; del buf96  # reuse
        buf98 = empty_strided_cpu((4, 128, 1), (128, 1, 512), torch.float32)
        buf99 = reinterpret_tensor(buf95, (4, 128, 384), (49152, 384, 1), 0); del buf95  # reuse
        cpp_fused_add_native_layer_norm_transpose_view_2(buf97, buf99, _frozen_param67, _frozen_param68, buf98)
        # Topologically Sorted Source Nodes: [linear_24], Original ATen: [aten.view]
        buf100 = torch.ops.mkldnn._linear_pointwise.default(reinterpret_tensor(buf99, (512, 384), (384, 1), 0), _frozen_param167, _frozen_param70, 'none', [-1], '')
        buf101 = buf100
        assert_size_stride(buf101, (512, 384), (384, 1), 'torch.ops.mkldnn._linear_pointwise.default')
        assert_alignment(buf101, 16, 'torch.ops.mkldnn._linear_pointwise.default')
        del buf100
        # Topologically Sorted Source Nodes: [linear_25], Original ATen: [aten.view]
        buf102 = torch.ops.mkldnn._linear_pointwise.default(reinterpret_tensor(buf99, (512, 384), (384, 1), 0), _frozen_param168, _frozen_param72, 'none', [-1], '')
        buf103 = buf102
        assert_size_stride(buf103, (512, 384), (384, 1), 'torch.ops.mkldnn._linear_pointwise.default')
        assert_alignment(buf103, 16, 'torch.ops.mkldnn._linear_pointwise.default')
        del buf102
        # Topologically Sorted Source Nodes: [linear_26], Original ATen: [aten.view]
        buf104 = torch.ops.mkldnn._linear_pointwise.default(reinterpret_tensor(buf99, (512, 384), (384, 1), 0), _frozen_param169, _frozen_param74, 'none', [-1], '')
        buf105 = buf104
        assert_size_stride(buf105, (512, 384), (384, 1), 'torch.ops.mkldnn._linear_pointwise.default')
        assert_alignment(buf105, 16, 'torch.ops.mkldnn._linear_pointwise.default')
        del buf104
        # Topologically Sorted Source Nodes: [result, arange_2, q_arange, q_indices, ge, result_1, mask, attention_mask, batch_arange, batch_indices, kv_indices, getitem_7, result_2, attention_mask_1, attn_output, linear_24, view_12, query_layer_4, linear_25, view_13, key_layer_4, linear_26, view_14, value_layer_4, attn_output_16], Original ATen: [aten.new_ones, aten.arange, aten.add, aten.unsqueeze, aten.ge, aten.bitwise_and, aten.select, aten._to_copy, aten.index, aten.expand, aten.scalar_tensor, aten.where, aten.view, aten.transpose, aten._scaled_dot_product_flash_attention_for_cpu]
        buf107 = torch.ops.aten._scaled_dot_product_flash_attention_for_cpu.default(reinterpret_tensor(buf101, (4, 12, 128, 32), (49152, 32, 384, 1), 0), reinterpret_tensor(buf103, (4, 12, 128, 32), (49152, 32, 384, 1), 0), reinterpret_tensor(buf105, (4, 12, 128, 32), (49152, 32, 384, 1), 0), attn_mask=buf106, scale=0.1767766952966369)
        del buf101
        del buf103
        del buf105
        del buf106
        buf108 = buf107[0]
        assert_size_stride(buf108, (4, 12, 128, 32), (49152, 32, 384, 1), 'torch.ops.aten._scaled_dot_product_flash_attention_for_cpu.default')
        assert_alignment(buf108, 16, 'torch.ops.aten._scaled_dot_product_flash_attention_for_cpu.default')
        del buf107
        # Topologically Sorted Source Nodes: [transpose_19, reshape_9, add_12], Original ATen: [aten.transpose, aten.view, aten.add]
        buf110 = torch.ops.mkldnn._linear_pointwise.binary(reinterpret_tensor(buf108, (512, 384), (384, 1), 0), reinterpret_tensor(buf99, (512, 384), (384, 1), 0), _frozen_param170, _frozen_param76, 'add')
        del buf108
        del buf99
        buf111 = buf110
        assert_size_stride(buf111, (512, 384), (384, 1), "torch._inductor.fx_passes.functools.partial(<function _register_binary_unary_fusion_lowering.<locals>.fn at 0x7f89a01d1bc0>, Match(..., [view_78, _reorder_linear_weight_8, arg76_1, 'none', [], ''], {'other': convert_element_type_114}))")
        assert_alignment(buf111, 16, "torch._inductor.fx_passes.functools.partial(<function _register_binary_unary_fusion_lowering.<locals>.fn at 0x7f89a01d1bc0>, Match(..., [view_78, _reorder_linear_weight_8, arg76_1, 'none', [], ''], {'other': convert_element_type_114}))")
        del buf110
        buf112 = buf98; del buf98  # reuse
        buf113 = buf112; del buf112  # reuse
        buf114 = buf97; del buf97  # reuse
        buf115 = reinterpret_tensor(buf111, (4, 128, 384), (49152, 384, 1), 0); del buf111  # reuse
        cpp_fused_add_native_layer_norm_transpose_view_2(buf113, buf115, _frozen_param77, _frozen_param78, buf114)
        # Topologically Sorted Source Nodes: [hidden_states_36], Original ATen: [aten.gelu]
        buf116 = torch.ops.mkldnn._linear_pointwise.default(reinterpret_tensor(buf115, (512, 384), (384, 1), 0), _frozen_param171, _frozen_param80, 'gelu', [-1], 'none')
        buf117 = buf116
        assert_size_stride(buf117, (512, 1536), (1536, 1), "torch._inductor.fx_passes.functools.partial(<function _register_unary_fusion_lowering.<locals>.fn at 0x7f89a013f7e0>, Match(..., [convert_element_type_130, _reorder_linear_weight_7, arg80_1, 'none', [], ''], {'to_float': torch.float32, 'to_bf16': torch.bfloat16}))")
        assert_alignment(buf117, 16, "torch._inductor.fx_passes.functools.partial(<function _register_unary_fusion_lowering.<locals>.fn at 0x7f89a013f7e0>, Match(..., [convert_element_type_130, _reorder_linear_weight_7, arg80_1, 'none', [], ''], {'to_float': torch.float32, 'to_bf16': torch.bfloat16}))")
        del buf116
        # Topologically Sorted Source Nodes: [hidden_states_36, add_13], Original ATen: [aten.gelu, aten.add]
        buf118 = torch.ops.mkldnn._linear_pointwise.binary(buf117, reinterpret_tensor(buf115, (512, 384), (384, 1), 0), _frozen_param172, _frozen_param82, 'add')
        del buf115
        del buf117
        buf119 = buf118
        assert_size_stride(buf119, (512, 384), (384, 1), "torch._inductor.fx_passes.functools.partial(<function _register_binary_unary_fusion_lowering.<locals>.fn at 0x7f89a01d1bc0>, Match(..., [convert_element_type_137, _reorder_linear_weight_6, arg82_1, 'none', [], ''], {'other': convert_element_type_130}))")
        assert_alignment(buf119, 16, "torch._inductor.fx_passes.functools.partial(<function _register_binary_unary_fusion_lowering.<locals>.fn at 0x7f89a01d1bc0>, Match(..., [convert_element_type_137, _reorder_linear_weight_6, arg82_1, 'none', [], ''], {'other': convert_element_type_130}))")
        del buf118
        buf120 = buf114; del buf114  # reuse
        buf121 = buf120; del buf120  # reuse
        buf122 = buf113; del buf113  # reuse
        buf123 = reinterpret_tensor(buf119, (4, 128, 384), (49152, 384, 1), 0); del buf119  # reuse
        cpp_fused_add_native_layer_norm_transpose_view_2(buf121, buf123, _frozen_param83, _frozen_param84, buf122)
        # Topologically Sorted Source Nodes: [linear_30], Original ATen: [aten.view]
        buf124 = torch.ops.mkldnn._linear_pointwise.default(reinterpret_tensor(buf123, (512, 384), (384, 1), 0), _frozen_param173, _frozen_param86, 'none', [-1], '')
        buf125 = buf124
        assert_size_stride(buf125, (512, 384), (384, 1), 'torch.ops.mkldnn._linear_pointwise.default')
        assert_alignment(buf125, 16, 'torch.ops.mkldnn._linear_pointwise.default')
        del buf124
        # Topologically Sorted Source Nodes: [linear_31], Original ATen: [aten.view]
        buf126 = torch.ops.mkldnn._linear_pointwise.default(reinterpret_tensor(buf123, (512, 384), (384, 1), 0), _frozen_param174, _frozen_param88, 'none', [-1], '')
        buf127 = buf126
        assert_size_stride(buf127, (512, 384), (384, 1), 'torch.ops.mkldnn._linear_pointwise.default')
        assert_alignment(buf127, 16, 'torch.ops.mkldnn._linear_pointwise.default')
        del buf126
        # Topologically Sorted Source Nodes: [linear_32], Original ATen: [aten.view]
        buf128 = torch.ops.mkldnn._linear_pointwise.default(reinterpret_tensor(buf123, (512, 384), (384, 1), 0), _frozen_param175, _frozen_param90, 'none', [-1], '')
        buf129 = buf128
        assert_size_stride(buf129, (512, 384), (384, 1), 'torch.ops.mkldnn._linear_pointwise.default')
        assert_alignment(buf129, 16, 'torch.ops.mkldnn._linear_pointwise.default')
        del buf128
        # Topologically Sorted Source Nodes: [result, arange_2, q_arange, q_indices, ge, result_1, mask, attention_mask, batch_arange, batch_indices, kv_indices, getitem_7, result_2, attention_mask_1, attn_output, linear_30, view_15, query_layer_5, linear_31, view_16, key_layer_5, linear_32, view_17, value_layer_5, attn_output_20], Original ATen: [aten.new_ones, aten.arange, aten.add, aten.unsqueeze, aten.ge, aten.bitwise_and, aten.select, aten._to_copy, aten.index, aten.expand, aten.scalar_tensor, aten.where, aten.view, aten.transpose, aten._scaled_dot_product_flash_attention_for_cpu]
        buf131 = torch.ops.aten._scaled_dot_product_flash_attention_for_cpu.default(reinterpret_tensor(buf125, (4, 12, 128, 32), (49152, 32, 384, 1), 0), reinterpret_tensor(buf127, (4, 12, 128, 32), (49152, 32, 384, 1), 0), reinterpret_tensor(buf129, (4, 12, 128, 32), (49152, 32, 384, 1), 0), attn_mask=buf130, scale=0.1767766952966369)
        del buf125
        del buf127
        del buf129
        del buf130
        buf132 = buf131[0]
        assert_size_stride(buf132, (4, 12, 128, 32), (49152, 32, 384, 1), 'torch.ops.aten._scaled_dot_product_flash_attention_for_cpu.default')
        assert_alignment(buf132, 16, 'torch.ops.aten._scaled_dot_product_flash_attention_for_cpu.default')
        del buf131
        # Topologically Sorted Source Nodes: [transpose_23, reshape_11, add_14], Original ATen: [aten.transpose, aten.view, aten.add]
        buf134 = torch.ops.mkldnn._linear_pointwise.binary(reinterpret_tensor(buf132, (512, 384), (384, 1), 0), reinterpret_tensor(buf123, (512, 384), (384, 1), 0), _frozen_param176, _frozen_param92, 'add')
        del buf123
        del buf132
        buf135 = buf134
        assert_size_stride(buf135, (512, 384), (384, 1), "torch._inductor.fx_passes.functools.partial(<function _register_binary_unary_fusion_lowering.<locals>.fn at 0x7f89a01d1bc0>, Match(..., [view_95, _reorder_linear_weight_2, arg92_1, 'none', [], ''], {'other': convert_element_type_142}))")
        assert_alignment(buf135, 16, "torch._inductor.fx_passes.functools.partial(<function _register_binary_unary_fusion_lowering.<locals>.fn at 0x7f89a01d1bc0>, Match(..., [view_95, _reorder_linear_weight_2, arg92_1, 'none', [], ''], {'other': convert_element_type_142}))")
        del buf134
        buf136 = buf122; del buf122  # reuse
        buf137 = buf136; del buf136  # reuse
        buf138 = buf121; del buf121  # reuse
        buf139 = reinterpret_tensor(buf135, (4, 128, 384), (49152, 384, 1), 0); del buf135  # reuse
        cpp_fused_add_native_layer_norm_transpose_view_2(buf137, buf139, _frozen_param93, _frozen_param94, buf138)
        # Topologically Sorted Source Nodes: [hidden_states_44], Original ATen: [aten.gelu]
        buf140 = torch.ops.mkldnn._linear_pointwise.default(reinterpret_tensor(buf139, (512, 384), (384, 1), 0), _frozen_param177, _frozen_param96, 'gelu', [-1], 'none')
        buf141 = buf140
        assert_size_stride(buf141, (512, 1536), (1536, 1), "torch._inductor.fx_passes.functools.partial(<function _register_unary_fusion_lowering.<locals>.fn at 0x7f89a013f7e0>, Match(..., [convert_element_type_158, _reorder_linear_weight_1, arg96_1, 'none', [], ''], {'to_float': torch.float32, 'to_bf16': torch.bfloat16}))")
        assert_alignment(buf141, 16, "torch._inductor.fx_passes.functools.partial(<function _register_unary_fusion_lowering.<locals>.fn at 0x7f89a013f7e0>, Match(..., [convert_element_type_158, _reorder_linear_weight_1, arg96_1, 'none', [], ''], {'to_float': torch.float32, 'to_bf16': torch.bfloat16}))")
        del buf140
        # Topologically Sorted Source Nodes: [hidden_states_44, add_15], Original ATen: [aten.gelu, aten.add]
        buf142 = torch.ops.mkldnn._linear_pointwise.binary(buf141, reinterpret_tensor(buf139, (512, 384), (384, 1), 0), _frozen_param178, _frozen_param98, 'add')
        del buf139
        del buf141
        buf143 = buf142
        assert_size_stride(buf143, (512, 384), (384, 1), "torch._inductor.fx_passes.functools.partial(<function _register_binary_unary_fusion_lowering.<locals>.fn at 0x7f89a01d1bc0>, Match(..., [convert_element_type_165, _reorder_linear_weight, arg98_1, 'none', [], ''], {'other': convert_element_type_158}))")
        assert_alignment(buf143, 16, "torch._inductor.fx_passes.functools.partial(<function _register_binary_unary_fusion_lowering.<locals>.fn at 0x7f89a01d1bc0>, Match(..., [convert_element_type_165, _reorder_linear_weight, arg98_1, 'none', [], ''], {'other': convert_element_type_158}))")
        del buf142
        buf144 = buf138; del buf138  # reuse
        buf145 = buf144; del buf144  # reuse
        buf146 = buf137; del buf137  # reuse
        buf148 = empty_strided_cpu((4, 1), (1, 4), torch.bfloat16)
        buf147 = empty_strided_cpu((4, 384), (384, 1), torch.bfloat16)
        buf149 = empty_strided_cpu((4, 1), (1, 4), torch.float32)
        buf150 = empty_strided_cpu((4, 384), (384, 1), torch.float32)
        cpp_fused__to_copy_add_clamp_clamp_min_div_expand_gelu_linalg_vector_norm_mul_native_layer_norm_select_sum_unsqueeze_3(buf145, buf143, arg105_1, _frozen_param99, _frozen_param100, buf146, buf148, buf147, buf149, buf150)
        del arg105_1
        return (buf150, )

runner = Runner(partitions=[])
call = runner.call
recursively_apply_fns = runner.recursively_apply_fns


def get_args():
    from torch._dynamo.testing import rand_strided
    global _frozen_param0
    _frozen_param0 = rand_strided((30522, 384), (384, 1), device='cpu', dtype=torch.bfloat16)
    global _frozen_param3
    _frozen_param3 = rand_strided((384, ), (1, ), device='cpu', dtype=torch.bfloat16)
    global _frozen_param4
    _frozen_param4 = rand_strided((384, ), (1, ), device='cpu', dtype=torch.bfloat16)
    global _frozen_param6
    _frozen_param6 = rand_strided((384, ), (1, ), device='cpu', dtype=torch.bfloat16)
    global _frozen_param8
    _frozen_param8 = rand_strided((384, ), (1, ), device='cpu', dtype=torch.bfloat16)
    global _frozen_param10
    _frozen_param10 = rand_strided((384, ), (1, ), device='cpu', dtype=torch.bfloat16)
    global _frozen_param12
    _frozen_param12 = rand_strided((384, ), (1, ), device='cpu', dtype=torch.bfloat16)
    global _frozen_param13
    _frozen_param13 = rand_strided((384, ), (1, ), device='cpu', dtype=torch.bfloat16)
    global _frozen_param14
    _frozen_param14 = rand_strided((384, ), (1, ), device='cpu', dtype=torch.bfloat16)
    global _frozen_param16
    _frozen_param16 = rand_strided((1536, ), (1, ), device='cpu', dtype=torch.bfloat16)
    global _frozen_param18
    _frozen_param18 = rand_strided((384, ), (1, ), device='cpu', dtype=torch.bfloat16)
    global _frozen_param19
    _frozen_param19 = rand_strided((384, ), (1, ), device='cpu', dtype=torch.bfloat16)
    global _frozen_param20
    _frozen_param20 = rand_strided((384, ), (1, ), device='cpu', dtype=torch.bfloat16)
    global _frozen_param22
    _frozen_param22 = rand_strided((384, ), (1, ), device='cpu', dtype=torch.bfloat16)
    global _frozen_param24
    _frozen_param24 = rand_strided((384, ), (1, ), device='cpu', dtype=torch.bfloat16)
    global _frozen_param26
    _frozen_param26 = rand_strided((384, ), (1, ), device='cpu', dtype=torch.bfloat16)
    global _frozen_param28
    _frozen_param28 = rand_strided((384, ), (1, ), device='cpu', dtype=torch.bfloat16)
    global _frozen_param29
    _frozen_param29 = rand_strided((384, ), (1, ), device='cpu', dtype=torch.bfloat16)
    global _frozen_param30
    _frozen_param30 = rand_strided((384, ), (1, ), device='cpu', dtype=torch.bfloat16)
    global _frozen_param32
    _frozen_param32 = rand_strided((1536, ), (1, ), device='cpu', dtype=torch.bfloat16)
    global _frozen_param34
    _frozen_param34 = rand_strided((384, ), (1, ), device='cpu', dtype=torch.bfloat16)
    global _frozen_param35
    _frozen_param35 = rand_strided((384, ), (1, ), device='cpu', dtype=torch.bfloat16)
    global _frozen_param36
    _frozen_param36 = rand_strided((384, ), (1, ), device='cpu', dtype=torch.bfloat16)
    global _frozen_param38
    _frozen_param38 = rand_strided((384, ), (1, ), device='cpu', dtype=torch.bfloat16)
    global _frozen_param40
    _frozen_param40 = rand_strided((384, ), (1, ), device='cpu', dtype=torch.bfloat16)
    global _frozen_param42
    _frozen_param42 = rand_strided((384, ), (1, ), device='cpu', dtype=torch.bfloat16)
    global _frozen_param44
    _frozen_param44 = rand_strided((384, ), (1, ), device='cpu', dtype=torch.bfloat16)
    global _frozen_param45
    _frozen_param45 = rand_strided((384, ), (1, ), device='cpu', dtype=torch.bfloat16)
    global _frozen_param46
    _frozen_param46 = rand_strided((384, ), (1, ), device='cpu', dtype=torch.bfloat16)
    global _frozen_param48
    _frozen_param48 = rand_strided((1536, ), (1, ), device='cpu', dtype=torch.bfloat16)
    global _frozen_param50
    _frozen_param50 = rand_strided((384, ), (1, ), device='cpu', dtype=torch.bfloat16)
    global _frozen_param51
    _frozen_param51 = rand_strided((384, ), (1, ), device='cpu', dtype=torch.bfloat16)
    global _frozen_param52
    _frozen_param52 = rand_strided((384, ), (1, ), device='cpu', dtype=torch.bfloat16)
    global _frozen_param54
    _frozen_param54 = rand_strided((384, ), (1, ), device='cpu', dtype=torch.bfloat16)
    global _frozen_param56
    _frozen_param56 = rand_strided((384, ), (1, ), device='cpu', dtype=torch.bfloat16)
    global _frozen_param58
    _frozen_param58 = rand_strided((384, ), (1, ), device='cpu', dtype=torch.bfloat16)
    global _frozen_param60
    _frozen_param60 = rand_strided((384, ), (1, ), device='cpu', dtype=torch.bfloat16)
    global _frozen_param61
    _frozen_param61 = rand_strided((384, ), (1, ), device='cpu', dtype=torch.bfloat16)
    global _frozen_param62
    _frozen_param62 = rand_strided((384, ), (1, ), device='cpu', dtype=torch.bfloat16)
    global _frozen_param64
    _frozen_param64 = rand_strided((1536, ), (1, ), device='cpu', dtype=torch.bfloat16)
    global _frozen_param66
    _frozen_param66 = rand_strided((384, ), (1, ), device='cpu', dtype=torch.bfloat16)
    global _frozen_param67
    _frozen_param67 = rand_strided((384, ), (1, ), device='cpu', dtype=torch.bfloat16)
    global _frozen_param68
    _frozen_param68 = rand_strided((384, ), (1, ), device='cpu', dtype=torch.bfloat16)
    global _frozen_param70
    _frozen_param70 = rand_strided((384, ), (1, ), device='cpu', dtype=torch.bfloat16)
    global _frozen_param72
    _frozen_param72 = rand_strided((384, ), (1, ), device='cpu', dtype=torch.bfloat16)
    global _frozen_param74
    _frozen_param74 = rand_strided((384, ), (1, ), device='cpu', dtype=torch.bfloat16)
    global _frozen_param76
    _frozen_param76 = rand_strided((384, ), (1, ), device='cpu', dtype=torch.bfloat16)
    global _frozen_param77
    _frozen_param77 = rand_strided((384, ), (1, ), device='cpu', dtype=torch.bfloat16)
    global _frozen_param78
    _frozen_param78 = rand_strided((384, ), (1, ), device='cpu', dtype=torch.bfloat16)
    global _frozen_param80
    _frozen_param80 = rand_strided((1536, ), (1, ), device='cpu', dtype=torch.bfloat16)
    global _frozen_param82
    _frozen_param82 = rand_strided((384, ), (1, ), device='cpu', dtype=torch.bfloat16)
    global _frozen_param83
    _frozen_param83 = rand_strided((384, ), (1, ), device='cpu', dtype=torch.bfloat16)
    global _frozen_param84
    _frozen_param84 = rand_strided((384, ), (1, ), device='cpu', dtype=torch.bfloat16)
    global _frozen_param86
    _frozen_param86 = rand_strided((384, ), (1, ), device='cpu', dtype=torch.bfloat16)
    global _frozen_param88
    _frozen_param88 = rand_strided((384, ), (1, ), device='cpu', dtype=torch.bfloat16)
    global _frozen_param90
    _frozen_param90 = rand_strided((384, ), (1, ), device='cpu', dtype=torch.bfloat16)
    global _frozen_param92
    _frozen_param92 = rand_strided((384, ), (1, ), device='cpu', dtype=torch.bfloat16)
    global _frozen_param93
    _frozen_param93 = rand_strided((384, ), (1, ), device='cpu', dtype=torch.bfloat16)
    global _frozen_param94
    _frozen_param94 = rand_strided((384, ), (1, ), device='cpu', dtype=torch.bfloat16)
    global _frozen_param96
    _frozen_param96 = rand_strided((1536, ), (1, ), device='cpu', dtype=torch.bfloat16)
    global _frozen_param98
    _frozen_param98 = rand_strided((384, ), (1, ), device='cpu', dtype=torch.bfloat16)
    global _frozen_param99
    _frozen_param99 = rand_strided((384, ), (1, ), device='cpu', dtype=torch.bfloat16)
    global _frozen_param100
    _frozen_param100 = rand_strided((384, ), (1, ), device='cpu', dtype=torch.bfloat16)
    global _frozen_param105
    _frozen_param105 = rand_strided((4, 128, 384), (49152, 384, 1), device='cpu', dtype=torch.bfloat16)
    global _frozen_param106
    _frozen_param106 = rand_strided((1, 128, 384), (49152, 384, 1), device='cpu', dtype=torch.bfloat16)
    global _frozen_param143
    _frozen_param143 = rand_strided((384, 384), (1, 0), device='cpu', dtype=torch.bfloat16)
    global _frozen_param144
    _frozen_param144 = rand_strided((384, 384), (1, 0), device='cpu', dtype=torch.bfloat16)
    global _frozen_param145
    _frozen_param145 = rand_strided((384, 384), (1, 0), device='cpu', dtype=torch.bfloat16)
    global _frozen_param146
    _frozen_param146 = rand_strided((384, 384), (1, 0), device='cpu', dtype=torch.bfloat16)
    global _frozen_param147
    _frozen_param147 = rand_strided((1536, 384), (1, 0), device='cpu', dtype=torch.bfloat16)
    global _frozen_param148
    _frozen_param148 = rand_strided((384, 1536), (1, 0), device='cpu', dtype=torch.bfloat16)
    global _frozen_param149
    _frozen_param149 = rand_strided((384, 384), (1, 0), device='cpu', dtype=torch.bfloat16)
    global _frozen_param150
    _frozen_param150 = rand_strided((384, 384), (1, 0), device='cpu', dtype=torch.bfloat16)
    global _frozen_param151
    _frozen_param151 = rand_strided((384, 384), (1, 0), device='cpu', dtype=torch.bfloat16)
    global _frozen_param152
    _frozen_param152 = rand_strided((384, 384), (1, 0), device='cpu', dtype=torch.bfloat16)
    global _frozen_param153
    _frozen_param153 = rand_strided((1536, 384), (1, 0), device='cpu', dtype=torch.bfloat16)
    global _frozen_param154
    _frozen_param154 = rand_strided((384, 1536), (1, 0), device='cpu', dtype=torch.bfloat16)
    global _frozen_param155
    _frozen_param155 = rand_strided((384, 384), (1, 0), device='cpu', dtype=torch.bfloat16)
    global _frozen_param156
    _frozen_param156 = rand_strided((384, 384), (1, 0), device='cpu', dtype=torch.bfloat16)
    global _frozen_param157
    _frozen_param157 = rand_strided((384, 384), (1, 0), device='cpu', dtype=torch.bfloat16)
    global _frozen_param158
    _frozen_param158 = rand_strided((384, 384), (1, 0), device='cpu', dtype=torch.bfloat16)
    global _frozen_param159
    _frozen_param159 = rand_strided((1536, 384), (1, 0), device='cpu', dtype=torch.bfloat16)
    global _frozen_param160
    _frozen_param160 = rand_strided((384, 1536), (1, 0), device='cpu', dtype=torch.bfloat16)
    global _frozen_param161
    _frozen_param161 = rand_strided((384, 384), (1, 0), device='cpu', dtype=torch.bfloat16)
    global _frozen_param162
    _frozen_param162 = rand_strided((384, 384), (1, 0), device='cpu', dtype=torch.bfloat16)
    global _frozen_param163
    _frozen_param163 = rand_strided((384, 384), (1, 0), device='cpu', dtype=torch.bfloat16)
    global _frozen_param164
    _frozen_param164 = rand_strided((384, 384), (1, 0), device='cpu', dtype=torch.bfloat16)
    global _frozen_param165
    _frozen_param165 = rand_strided((1536, 384), (1, 0), device='cpu', dtype=torch.bfloat16)
    global _frozen_param166
    _frozen_param166 = rand_strided((384, 1536), (1, 0), device='cpu', dtype=torch.bfloat16)
    global _frozen_param167
    _frozen_param167 = rand_strided((384, 384), (1, 0), device='cpu', dtype=torch.bfloat16)
    global _frozen_param168
    _frozen_param168 = rand_strided((384, 384), (1, 0), device='cpu', dtype=torch.bfloat16)
    global _frozen_param169
    _frozen_param169 = rand_strided((384, 384), (1, 0), device='cpu', dtype=torch.bfloat16)
    global _frozen_param170
    _frozen_param170 = rand_strided((384, 384), (1, 0), device='cpu', dtype=torch.bfloat16)
    global _frozen_param171
    _frozen_param171 = rand_strided((1536, 384), (1, 0), device='cpu', dtype=torch.bfloat16)
    global _frozen_param172
    _frozen_param172 = rand_strided((384, 1536), (1, 0), device='cpu', dtype=torch.bfloat16)
    global _frozen_param173
    _frozen_param173 = rand_strided((384, 384), (1, 0), device='cpu', dtype=torch.bfloat16)
    global _frozen_param174
    _frozen_param174 = rand_strided((384, 384), (1, 0), device='cpu', dtype=torch.bfloat16)
    global _frozen_param175
    _frozen_param175 = rand_strided((384, 384), (1, 0), device='cpu', dtype=torch.bfloat16)
    global _frozen_param176
    _frozen_param176 = rand_strided((384, 384), (1, 0), device='cpu', dtype=torch.bfloat16)
    global _frozen_param177
    _frozen_param177 = rand_strided((1536, 384), (1, 0), device='cpu', dtype=torch.bfloat16)
    global _frozen_param178
    _frozen_param178 = rand_strided((384, 1536), (1, 0), device='cpu', dtype=torch.bfloat16)
    arg105_1 = rand_strided((4, 2, 128), (256, 128, 1), device='cpu', dtype=torch.int64)
    return [arg105_1]


def benchmark_compiled_module(args, times=10, repeat=10):
    from torch._inductor.utils import print_performance
    fn = lambda: call(list(args))
    return print_performance(fn, times=times, repeat=repeat, device='cpu')


if __name__ == "__main__":
    from torch._inductor.wrapper_benchmark import compiled_module_main
    args = get_args()
    compiled_module_main('None', lambda times, repeat: benchmark_compiled_module(args, times=times, repeat=repeat))
