# Mirrors jadore801120/attention-is-all-you-need-pytorch translate.py: Translator(model,
# beam_size=5, max_seq_len, src/trg pad, bos, eos ids) over the train.py-default Transformer
# (shared Multi30k vocabulary, d_model 512, 6 layers), translate_sentence() on one source
# sentence as the script feeds it (batch 1). max_seq_len 12 instead of 100 for CPU.
import torch

from transformer.Models import Transformer
from transformer.Translator import Translator

torch.manual_seed(0)
vocab, pad_idx, bos_idx, eos_idx = 9521, 1, 2, 3
model = Transformer(vocab, vocab, src_pad_idx=pad_idx, trg_pad_idx=pad_idx,
                    trg_emb_prj_weight_sharing=True, emb_src_trg_weight_sharing=True,
                    d_k=64, d_v=64, d_model=512, d_word_vec=512, d_inner=2048, n_layers=6, n_head=8,
                    dropout=0.1, scale_emb_or_prj='prj')
translator = Translator(model=model, beam_size=5, max_seq_len=12, src_pad_idx=pad_idx,
                        trg_pad_idx=pad_idx, trg_bos_idx=bos_idx, trg_eos_idx=eos_idx)
src_seq = torch.randint(4, vocab, (9,)).tolist()
pred_seq = translator.translate_sentence(torch.LongTensor([src_seq]))
