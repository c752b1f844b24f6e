# Mirrors pytorch/examples distributed/tensor_parallelism/fsdp_tp_example.py (without the
# distribution): simple_llama2_config = ModelArgs(dim=256, n_layers=2, n_heads=16, vocab_size=32000),
# a forward on random tokens of length 256 and the sum as loss (no backward).
import torch

from distributed.tensor_parallelism.llama2_model import ModelArgs, Transformer

torch.manual_seed(0)
simple_llama2_config = ModelArgs(dim=256, n_layers=2, n_heads=16, vocab_size=32000)
model = Transformer.from_model_args(simple_llama2_config)

inp = torch.randint(32000, (4, 256))
output = model(inp)
loss = output.sum()

# grouped-query attention variant (n_kv_heads < n_heads)
gqa = Transformer(ModelArgs(dim=256, n_layers=1, n_heads=16, n_kv_heads=4, vocab_size=32000, max_seq_len=512))
with torch.no_grad():
    out = gqa(torch.randint(32000, (2, 64)))
