# Mirrors jadore801120/attention-is-all-you-need-pytorch translate.py: a Transformer built as train.py
# does (shared ~9.5k vocabulary, -embs_share_weight -proj_share_weight; defaults d_model 512,
# 6 layers, 8 heads) wrapped in Translator(model, beam_size=5, max_seq_len, src_pad_idx,
# trg_pad_idx, trg_bos_idx, trg_eos_idx), then translate_sentence(torch.LongTensor([src_seq])) on
# a source sentence. max_seq_len 16 instead of 100 (an untrained model never emits </s>).
import torch

torch.manual_seed(0)
from transformer.Models import Transformer
from transformer.Translator import Translator

PAD, BOS, EOS, VOCAB = 1, 2, 3, 9521

model = Transformer(
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
translator = Translator(
    model=model, beam_size=5, max_seq_len=16, src_pad_idx=PAD, trg_pad_idx=PAD, trg_bos_idx=BOS, trg_eos_idx=EOS
)
src_seq = [BOS] + torch.randint(4, VOCAB, (11,)).tolist() + [EOS]
pred_seq = translator.translate_sentence(torch.LongTensor([src_seq]))
