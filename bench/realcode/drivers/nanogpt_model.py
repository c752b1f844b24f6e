# As train.py with config/train_shakespeare_char.py (char-level Shakespeare, vocab 65), scaled
# down for a CPU: GPTConfig(...) then model(X, Y) on a batch of block_size tokens, model(X) as
# in eval, then generate() as sample.py does, and crop_block_size() as train.py may.
import torch

from model import GPT, GPTConfig

torch.manual_seed(0)
batch_size, block_size, vocab_size = 4, 64, 65
config = GPTConfig(
    block_size=block_size, vocab_size=vocab_size, n_layer=2, n_head=4, n_embd=128, dropout=0.0, bias=False
)
model = GPT(config)
X = torch.randint(vocab_size, (batch_size, block_size))
Y = torch.randint(vocab_size, (batch_size, block_size))
logits, loss = model(X, Y)
loss.backward()
model.configure_optimizers(0.1, 1e-3, (0.9, 0.99), "cpu")
model.eval()
with torch.no_grad():
    logits, _ = model(X)
    start = torch.zeros((1, 1), dtype=torch.long)
    model.generate(start, max_new_tokens=4, temperature=0.8, top_k=20)
model.crop_block_size(32)
with torch.no_grad():
    model(X[:, :32])
