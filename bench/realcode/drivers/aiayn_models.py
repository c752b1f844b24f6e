# Mirrors jadore801120/attention-is-all-you-need-pytorch train.py with the README's Multi30k de-en
# setup (shared ~9.5k vocabulary, -embs_share_weight -proj_share_weight -label_smoothing) and the
# script's defaults (d_model 512, d_inner 2048, 6 layers, 8 heads, d_k = d_v = 64, dropout 0.1,
# scale_emb_or_prj 'prj'): patch_src/patch_trg, a forward and cal_performance with label
# smoothing (no backward); then the 'emb' scaling without weight sharing. Batch 4.
import torch
import torch.nn.functional as F

from transformer.Models import Transformer, get_pad_mask, get_subsequent_mask

torch.manual_seed(0)
vocab, pad_idx = 9521, 1
model = Transformer(vocab, vocab, src_pad_idx=pad_idx, trg_pad_idx=pad_idx,
                    trg_emb_prj_weight_sharing=True, emb_src_trg_weight_sharing=True,
                    d_k=64, d_v=64, d_model=512, d_word_vec=512, d_inner=2048, n_layers=6, n_head=8,
                    dropout=0.1, scale_emb_or_prj='prj')

src = torch.randint(4, vocab, (15, 4))
trg = torch.randint(4, vocab, (17, 4))
src[-3:, 1] = pad_idx
trg[-4:, 2] = pad_idx
src_seq = src.transpose(0, 1)
trg = trg.transpose(0, 1)
trg_seq, gold = trg[:, :-1], trg[:, 1:].contiguous().view(-1)

model.train()
pred = model(src_seq, trg_seq)
eps, n_class = 0.1, pred.size(1)
one_hot = torch.zeros_like(pred).scatter(1, gold.view(-1, 1), 1)
one_hot = one_hot * (1 - eps) + (1 - one_hot) * eps / (n_class - 1)
log_prb = F.log_softmax(pred, dim=1)
non_pad_mask = gold.ne(pad_idx)
loss = -(one_hot * log_prb).sum(dim=1).masked_select(non_pad_mask).sum()
n_correct = pred.max(1)[1].eq(gold).masked_select(non_pad_mask).sum().item()

small = Transformer(vocab, vocab, src_pad_idx=pad_idx, trg_pad_idx=pad_idx,
                    trg_emb_prj_weight_sharing=False, emb_src_trg_weight_sharing=False,
                    d_model=256, d_word_vec=256, d_inner=512, n_layers=2, n_head=4, scale_emb_or_prj='emb')
small.eval()
with torch.no_grad():
    pred = small(src_seq, trg_seq)
    masks = get_pad_mask(src_seq, pad_idx), get_subsequent_mask(trg_seq)
