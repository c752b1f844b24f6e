# Mirrors hkproj/pytorch-llama inference.py: LLaMA.build() sets ModelArgs(max_seq_len,
# max_batch_size=len(prompts), device, vocab_size=32000) and text_completion() feeds one token at
# a time with start_pos (KV cache), temperature + top-p sampling. Reduced config for CPU (dim 256,
# 2 layers, 8 heads / 4 kv heads instead of the 7B checkpoint's params.json), 4 prompts of
# random token ids, 12 positions.
import torch

from model import ModelArgs, Transformer

torch.manual_seed(0)
device = "cpu"
prompt_tokens = [torch.randint(3, 32000, (n,)).tolist() for n in (7, 4, 9, 5)]
model_args = ModelArgs(
    dim=256, n_layers=2, n_heads=8, n_kv_heads=4, max_seq_len=64, max_batch_size=len(prompt_tokens), device=device
)
model_args.vocab_size = 32000
torch.set_default_dtype(torch.float32)
model = Transformer(model_args).to(device)


def sample_top_p(probs, p):
    probs_sort, probs_idx = torch.sort(probs, dim=-1, descending=True)
    probs_sum = torch.cumsum(probs_sort, dim=-1)
    mask = probs_sum - probs_sort > p
    probs_sort[mask] = 0.0
    probs_sort.div_(probs_sort.sum(dim=-1, keepdim=True))
    next_token = torch.multinomial(probs_sort, num_samples=1)
    return torch.gather(probs_idx, -1, next_token)


pad_id, eos_id = -1, 2
batch_size = len(prompt_tokens)
total_len = 12
tokens = torch.full((batch_size, total_len), pad_id, dtype=torch.long, device=device)
for k, t in enumerate(prompt_tokens):
    tokens[k, : len(t)] = torch.tensor(t, dtype=torch.long, device=device)
eos_reached = torch.tensor([False] * batch_size, device=device)
prompt_tokens_mask = tokens != pad_id
for cur_pos in range(1, total_len):
    with torch.no_grad():
        logits = model.forward(tokens[:, cur_pos - 1 : cur_pos], cur_pos)
    probs = torch.softmax(logits[:, -1] / 0.6, dim=-1)
    next_token = sample_top_p(probs, 0.9)
    next_token = next_token.reshape(-1)
    next_token = torch.where(prompt_tokens_mask[:, cur_pos], tokens[:, cur_pos], next_token)
    tokens[:, cur_pos] = next_token
    eos_reached |= (~prompt_tokens_mask[:, cur_pos]) & (next_token == eos_id)
