# Mirrors pytorch/examples language_translation/main.py: Translator with the default options
# (5+5 layers, embed 512, 8 heads, ff 512, dropout 0.1) on Multi30k de->en sized vocabularies,
# one train() forward and loss (no backward) with src/data.py's create_mask, then inference()'s greedy_decode.
import torch

from language_translation.src.model import Translator

torch.manual_seed(0)
PAD, BOS, EOS = 1, 2, 3
SRC_VOCAB, TGT_VOCAB = 19214, 10837


def generate_square_subsequent_mask(size):
    mask = (torch.triu(torch.ones((size, size))) == 1).transpose(0, 1)
    return mask.float().masked_fill(mask == 0, float("-inf")).masked_fill(mask == 1, float(0.0))


def create_mask(src, tgt, pad_idx):
    tgt_mask = generate_square_subsequent_mask(tgt.shape[0])
    src_mask = torch.zeros((src.shape[0], src.shape[0])).type(torch.bool)
    return src_mask, tgt_mask, (src == pad_idx).transpose(0, 1), (tgt == pad_idx).transpose(0, 1)


model = Translator(
    num_encoder_layers=5,
    num_decoder_layers=5,
    embed_size=512,
    num_heads=8,
    src_vocab_size=SRC_VOCAB,
    tgt_vocab_size=TGT_VOCAB,
    dim_feedforward=512,
    dropout=0.1,
)
loss_fn = torch.nn.CrossEntropyLoss(ignore_index=PAD)

# train(): sequence-first batches of 4 sentences
model.train()
src = torch.randint(4, SRC_VOCAB, (18, 4))
tgt = torch.randint(4, TGT_VOCAB, (21, 4))
src[-2:, 0] = PAD
tgt_input = tgt[:-1, :]
src_mask, tgt_mask, src_padding_mask, tgt_padding_mask = create_mask(src, tgt_input, PAD)
logits = model(src, tgt_input, src_mask, tgt_mask, src_padding_mask, tgt_padding_mask, src_padding_mask)
tgt_out = tgt[1:, :]
loss = loss_fn(logits.reshape(-1, logits.shape[-1]), tgt_out.reshape(-1))

# inference(): greedy_decode of one sentence
model.eval()
with torch.no_grad():
    src = torch.randint(4, SRC_VOCAB, (9, 1))
    num_tokens = src.shape[0]
    src_mask = (torch.zeros(num_tokens, num_tokens)).type(torch.bool)
    memory = model.encode(src, src_mask)
    ys = torch.ones(1, 1).fill_(BOS).type(torch.long)
    for _ in range(6):
        tgt_mask = generate_square_subsequent_mask(ys.size(0)).type(torch.bool)
        out = model.decode(ys, memory, tgt_mask)
        out = out.transpose(0, 1)
        prob = model.ff(out[:, -1])
        _, next_word = torch.max(prob, dim=1)
        next_word = next_word.item()
        ys = torch.cat([ys, torch.ones(1, 1).type_as(src.data).fill_(next_word)], dim=0)
