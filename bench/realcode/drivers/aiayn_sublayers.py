# Mirrors how jadore801120/attention-is-all-you-need-pytorch's Encoder/Decoder layers use
# SubLayers.py with train.py's defaults (d_model 512, d_inner 2048, 8 heads, d_k = d_v = 64,
# dropout 0.1): MultiHeadAttention for self-attention with a padding mask, masked decoder
# self-attention and encoder-decoder attention (different lengths), PositionwiseFeedForward;
# then the full Transformer forward that calls them. Batch 4.
import torch

from transformer.Models import Transformer, get_pad_mask, get_subsequent_mask
from transformer.SubLayers import MultiHeadAttention, PositionwiseFeedForward

torch.manual_seed(0)
slf_attn = MultiHeadAttention(8, 512, 64, 64, dropout=0.1)
enc_attn = MultiHeadAttention(8, 512, 64, 64, dropout=0.1)
pos_ffn = PositionwiseFeedForward(512, 2048, dropout=0.1)

src_seq = torch.randint(4, 9521, (4, 15))
src_seq[1, -3:] = 1
trg_seq = torch.randint(4, 9521, (4, 16))
src_mask = get_pad_mask(src_seq, 1)
trg_mask = get_pad_mask(trg_seq, 1) & get_subsequent_mask(trg_seq)

enc_in = torch.randn(4, 15, 512)
enc_output, enc_slf_attn = slf_attn(enc_in, enc_in, enc_in, mask=src_mask)
enc_output = pos_ffn(enc_output)
dec_in = torch.randn(4, 16, 512)
dec_output, dec_slf_attn = slf_attn(dec_in, dec_in, dec_in, mask=trg_mask)
dec_output, dec_enc_attn = enc_attn(dec_output, enc_output, enc_output, mask=src_mask)
dec_output = pos_ffn(dec_output)
no_mask, _ = enc_attn(dec_in, enc_output, enc_output)

model = Transformer(9521, 9521, src_pad_idx=1, trg_pad_idx=1, d_model=512, d_word_vec=512,
                    d_inner=2048, n_layers=2, n_head=8)
pred = model(src_seq, trg_seq)
