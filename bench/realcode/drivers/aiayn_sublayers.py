# Mirrors jadore801120/attention-is-all-you-need-pytorch train.py (README's Multi30k de-en run:
# -embs_share_weight -proj_share_weight -label_smoothing; defaults d_model 512, d_inner_hid 2048,
# d_k = d_v = 64, n_head 8, n_layers 6, dropout 0.1, scale_emb_or_prj 'prj') on a shared
# ~9.5k-token vocabulary (<unk>=0, <blank>=1 pad, <s>=2, </s>=3, as torchtext builds it): one
# train_epoch batch (patch_src/patch_trg, model(src_seq, trg_seq), cal_performance with label
# smoothing, backward, ScheduledOptim(Adam(betas=(0.9, 0.98), eps=1e-9), lr_mul 2.0, d_model,
# warmup 4000).step_and_update_lr()) and one eval_epoch batch. Batch 4 sentences of <= 24 tokens.
import torch
import torch.nn.functional as F

torch.manual_seed(0)
from transformer.Models import Transformer
from transformer.Optim import ScheduledOptim

PAD, BOS, EOS, VOCAB = 1, 2, 3, 9521


def batch_field(lengths):
    # a torchtext Field batch: [seq_len, batch], <s> ... </s> then padding
    seq = torch.full((max(lengths) + 2, len(lengths)), PAD, dtype=torch.long)
    for j, n in enumerate(lengths):
        seq[0, j] = BOS
        seq[1 : n + 1, j] = torch.randint(4, VOCAB, (n,))
        seq[n + 1, j] = EOS
    return seq


def cal_loss(pred, gold, trg_pad_idx, smoothing=False):
    gold = gold.contiguous().view(-1)
    if smoothing:
        eps = 0.1
        n_class = pred.size(1)
        one_hot = torch.zeros_like(pred).scatter(1, gold.view(-1, 1), 1)
        one_hot = one_hot * (1 - eps) + (1 - one_hot) * eps / (n_class - 1)
        log_prb = F.log_softmax(pred, dim=1)
        non_pad_mask = gold.ne(trg_pad_idx)
        loss = -(one_hot * log_prb).sum(dim=1)
        loss = loss.masked_select(non_pad_mask).sum()
    else:
        loss = F.cross_entropy(pred, gold, ignore_index=trg_pad_idx, reduction="sum")
    return loss


def cal_performance(pred, gold, trg_pad_idx, smoothing=False):
    loss = cal_loss(pred, gold, trg_pad_idx, smoothing=smoothing)
    pred = pred.max(1)[1]
    gold = gold.contiguous().view(-1)
    non_pad_mask = gold.ne(trg_pad_idx)
    n_correct = pred.eq(gold).masked_select(non_pad_mask).sum().item()
    return loss, n_correct, non_pad_mask.sum().item()


def patch_trg(trg):
    trg = trg.transpose(0, 1)
    return trg[:, :-1], trg[:, 1:].contiguous().view(-1)


transformer = Transformer(
    VOCAB,
    VOCAB,
    src_pad_idx=PAD,
    trg_pad_idx=PAD,
    trg_emb_prj_weight_sharing=True,
    emb_src_trg_weight_sharing=True,
    d_k=64,
    d_v=64,
    d_model=512,
    d_word_vec=512,
    d_inner=2048,
    n_layers=6,
    n_head=8,
    dropout=0.1,
    scale_emb_or_prj="prj",
)
optimizer = ScheduledOptim(torch.optim.Adam(transformer.parameters(), betas=(0.9, 0.98), eps=1e-09), 2.0, 512, 4000)

transformer.train()
src_seq = batch_field([12, 20, 9, 15]).transpose(0, 1)
trg_seq, gold = patch_trg(batch_field([14, 22, 10, 13]))
optimizer.zero_grad()
pred = transformer(src_seq, trg_seq)
loss, n_correct, n_word = cal_performance(pred, gold, PAD, smoothing=True)
loss.backward()
optimizer.step_and_update_lr()

transformer.eval()
with torch.no_grad():
    src_seq = batch_field([7, 11, 18, 5]).transpose(0, 1)
    trg_seq, gold = patch_trg(batch_field([8, 12, 16, 6]))
    pred = transformer(src_seq, trg_seq)
    loss, n_correct, n_word = cal_performance(pred, gold, PAD, smoothing=False)

emb = Transformer(
    VOCAB,
    8000,
    src_pad_idx=PAD,
    trg_pad_idx=PAD,
    trg_emb_prj_weight_sharing=True,
    emb_src_trg_weight_sharing=False,
    d_model=256,
    d_word_vec=256,
    d_inner=1024,
    n_layers=2,
    n_head=4,
    d_k=64,
    d_v=64,
    scale_emb_or_prj="emb",
)
with torch.no_grad():
    emb(src_seq, trg_seq.clamp(max=7999))
