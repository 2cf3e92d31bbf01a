"""Writes pytorch-attention.txt, the PyTorch side of AttentionPyTorchTest.

Run with a Python that has torch (1.13 here): python3 pytorch_attention.py > pytorch-attention.txt
Everything is float64. Each line is  name|shape|values  (shape and values space-separated). Boolean
masks are written as 0/1. The cases:
  sdpa.*    torch.nn.functional._scaled_dot_product_attention (1.13's name of PyTorch 2's
            scaled_dot_product_attention, bool masks True = keep), causal with L != S, with a
            boolean mask and with an additive float mask;
  mha.*     nn.MultiheadAttention(8, 2, batch_first=True) in eval mode: cross-attention with a key
            padding mask (True = ignore) and averaged weights; self-attention with a causal mask;
  enc.*     nn.TransformerEncoderLayer(8, 2, 16, batch_first=True) in eval mode, ReLU post-norm
            (enc.post) and GELU pre-norm (enc.pre), with a causal mask and a key padding mask.
Parameters are written as param.<case>.<state-dict name>, 1-D ones drawn at random first. Grad mode stays on (and the parameters
require grad) so PyTorch takes its reference path rather than the inference fast path.
"""
import torch
import torch.nn.functional as F

torch.manual_seed(12)
torch.set_default_dtype(torch.float64)


def emit(name, t):
    t = t.detach()
    if t.dtype == torch.bool:
        t = t.to(torch.float64)
    shape = " ".join(str(s) for s in t.shape)
    values = " ".join(repr(float(v)) for v in t.flatten().tolist())
    print(f"{name}|{shape}|{values}")


def params(case, module):
    with torch.no_grad():  # PyTorch starts biases at 0 and norms at 1: draw them to test them
        for value in module.parameters():
            if value.dim() == 1:
                value.copy_(torch.randn_like(value) * 0.5)
    for name, value in module.state_dict().items():
        emit(f"param.{case}.{name}", value)


# ---- scaled dot-product attention: [B=2, H=2, L=5, E=4] over S=7 keys, Ev=3
q = torch.randn(2, 2, 5, 4)
k = torch.randn(2, 2, 7, 4)
v = torch.randn(2, 2, 7, 3)
emit("sdpa.q", q)
emit("sdpa.k", k)
emit("sdpa.v", v)
emit("sdpa.causal", F._scaled_dot_product_attention(q, k, v, None, 0.0, False, True)[0])
keep = torch.rand(5, 7) > 0.4
keep[:, 0] = True  # no row fully masked
emit("sdpa.keep", keep)
emit("sdpa.bool", F._scaled_dot_product_attention(q, k, v, keep, 0.0, False, False)[0])
additive = torch.randn(2, 1, 5, 7)
emit("sdpa.additive", additive)
emit("sdpa.float", F._scaled_dot_product_attention(q, k, v, additive, 0.0, False, False)[0])

# ---- MultiheadAttention(8, 2): N=2, L=5, S=6
mha = torch.nn.MultiheadAttention(8, 2, batch_first=True)
mha.eval()
params("mha", mha)
query = torch.randn(2, 5, 8)
key = torch.randn(2, 6, 8)
value = torch.randn(2, 6, 8)
padding = torch.tensor([[False] * 6, [False] * 4 + [True] * 2])
emit("mha.query", query)
emit("mha.key", key)
emit("mha.value", value)
emit("mha.padding", padding)
out, weights = mha(query, key, value, key_padding_mask=padding, need_weights=True)
emit("mha.cross", out)
emit("mha.cross_weights", weights)
causal = torch.triu(torch.ones(5, 5, dtype=torch.bool), 1)
out, _ = mha(query, query, query, attn_mask=causal, need_weights=False)
emit("mha.self_causal", out)

# ---- TransformerEncoderLayer(8, 2, 16): N=2, T=5
src = torch.randn(2, 5, 8)
src_padding = torch.tensor([[False] * 5, [False] * 3 + [True] * 2])
emit("enc.src", src)
emit("enc.padding", src_padding)
for case, activation, norm_first in (("post", "relu", False), ("pre", "gelu", True)):
    layer = torch.nn.TransformerEncoderLayer(
        8, 2, 16, dropout=0.1, activation=activation, batch_first=True, norm_first=norm_first
    )
    layer.eval()
    params(f"enc.{case}", layer)
    emit(f"enc.{case}", layer(src, src_mask=causal, src_key_padding_mask=src_padding))
