import math

import torch
import torch.nn as nn


class PositionalEncoding(nn.Module):
    def __init__(self, d_model, max_len=64):
        super().__init__()
        position = torch.arange(max_len).unsqueeze(1)
        div_term = torch.exp(torch.arange(0, d_model, 2) * (-math.log(10000.0) / d_model))
        pe = torch.zeros(max_len, 1, d_model)
        pe[:, 0, 0::2] = torch.sin(position * div_term)
        pe[:, 0, 1::2] = torch.cos(position * div_term)
        self.register_buffer("pe", pe)

    def forward(self, x):
        x = x + self.pe[: x.size(0)]
        return x


class Seq2SeqTransformer(nn.Module):
    def __init__(self, src_vocab=40, tgt_vocab=30, d_model=32, nhead=4, layers=2):
        super().__init__()
        self.d_model = d_model
        self.src_tok = nn.Embedding(src_vocab, d_model)
        self.tgt_tok = nn.Embedding(tgt_vocab, d_model)
        self.pos = PositionalEncoding(d_model)
        self.transformer = nn.Transformer(d_model=d_model, nhead=nhead, num_encoder_layers=layers,
                                          num_decoder_layers=layers, dim_feedforward=64)
        self.generator = nn.Linear(d_model, tgt_vocab)

    def forward(self, src, tgt):
        src_emb = self.pos(self.src_tok(src) * math.sqrt(self.d_model))
        tgt_emb = self.pos(self.tgt_tok(tgt) * math.sqrt(self.d_model))
        tgt_mask = self.transformer.generate_square_subsequent_mask(tgt.size(0))
        outs = self.transformer(src_emb, tgt_emb, tgt_mask=tgt_mask)
        return self.generator(outs)


if __name__ == "__main__":
    model = Seq2SeqTransformer()
    src = torch.randint(0, 40, (10, 2))
    tgt = torch.randint(0, 30, (9, 2))
    logits = model(src, tgt)
