# As projects/chargpt/chargpt.py: GPT.get_default_config() with model_type 'gpt-mini',
# vocab_size 65 and block_size 128 (its defaults), then model(x, y) on a small batch and
# model.generate(x, n, do_sample=True, top_k=10) as its sampling step does.
import torch

from mingpt.model import GPT

torch.manual_seed(0)
config = GPT.get_default_config()
config.model_type = "gpt-mini"
config.vocab_size = 65
config.block_size = 128
model = GPT(config)
x = torch.randint(65, (2, 128))
y = torch.randint(65, (2, 128))
logits, loss = model(x, y)
loss.backward()
model.eval()
with torch.no_grad():
    context = torch.randint(65, (1, 5))
    model.generate(context, 4, temperature=1.0, do_sample=True, top_k=10)
    model.generate(context, 2, do_sample=False)
