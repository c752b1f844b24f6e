# Mirrors sgrvinod/a-PyTorch-Tutorial-to-Sequence-Labeling train.py (CoNLL-2003 NER): the repo's
# utils.create_maps / create_input_tensors on a few tagged sentences, LM_LSTM_CRF with the script's
# sizes (char_emb_dim 30, char_rnn_dim 300, word_emb_dim 100, word_rnn_dim 300, 1 layer each,
# 1 highway layer, dropout 0.5), init_word_embeddings / fine_tune_word_embeddings, the train()
# forward with the co-trained language-model losses (no backward), then the validation forward
# in eval mode. Batch 3. ViterbiLoss is built but not called: its forward unpacks
# pack_padded_sequence() into two values, which fails on current torch.
import torch
import torch.nn as nn
from torch.nn.utils.rnn import pack_padded_sequence

from models import LM_LSTM_CRF, ViterbiLoss
from utils import create_input_tensors, create_maps

torch.manual_seed(0)
words = [
    ["eu", "rejects", "german", "call", "to", "boycott", "british", "lamb", "."],
    ["peter", "blackburn"],
    ["brussels", "1996-08-22", "the", "european", "commission", "said", "on", "thursday", "it"],
]
tags = [
    ["B-ORG", "O", "B-MISC", "O", "O", "O", "B-MISC", "O", "O"],
    ["B-PER", "I-PER"],
    ["B-LOC", "O", "O", "B-ORG", "I-ORG", "O", "O", "O", "O"],
]
word_map, char_map, tag_map = create_maps(words, tags, min_word_freq=1, min_char_freq=1)
lm_vocab_size = len(word_map)
(wmaps, cmaps_f, cmaps_b, cmarkers_f, cmarkers_b, tmaps, wmap_lengths, cmap_lengths) = create_input_tensors(
    words, tags, word_map, char_map, tag_map
)

model = LM_LSTM_CRF(
    tagset_size=len(tag_map),
    charset_size=len(char_map),
    char_emb_dim=30,
    char_rnn_dim=300,
    char_rnn_layers=1,
    vocab_size=len(word_map),
    lm_vocab_size=lm_vocab_size,
    word_emb_dim=100,
    word_rnn_dim=300,
    word_rnn_layers=1,
    dropout=0.5,
    highway_layers=1,
)
model.init_word_embeddings(torch.randn(len(word_map), 100))
model.fine_tune_word_embeddings(False)
lm_criterion = nn.CrossEntropyLoss()
crf_criterion = ViterbiLoss(tag_map)

max_word_len = max(wmap_lengths.tolist())
max_char_len = max(cmap_lengths.tolist())
wmaps = wmaps[:, :max_word_len]
cmaps_f = cmaps_f[:, :max_char_len]
cmaps_b = cmaps_b[:, :max_char_len]
cmarkers_f = cmarkers_f[:, :max_word_len]
cmarkers_b = cmarkers_b[:, :max_word_len]
tmaps = tmaps[:, :max_word_len]

model.train()
crf_scores, lm_f_scores, lm_b_scores, wmaps_sorted, tmaps_sorted, wmap_lengths_sorted, _, __ = model(
    cmaps_f, cmaps_b, cmarkers_f, cmarkers_b, wmaps, tmaps, wmap_lengths, cmap_lengths
)
lm_lengths = (wmap_lengths_sorted - 1).tolist()
lm_f_scores = pack_padded_sequence(lm_f_scores, lm_lengths, batch_first=True).data
lm_b_scores = pack_padded_sequence(lm_b_scores, lm_lengths, batch_first=True).data
lm_f_targets = pack_padded_sequence(wmaps_sorted[:, 1:], lm_lengths, batch_first=True).data
lm_b_targets = torch.cat(
    [torch.LongTensor([word_map["<end>"]] * wmaps_sorted.size(0)).unsqueeze(1), wmaps_sorted], dim=1
)
lm_b_targets = pack_padded_sequence(lm_b_targets, lm_lengths, batch_first=True).data
ce_loss = lm_criterion(lm_f_scores, lm_f_targets) + lm_criterion(lm_b_scores, lm_b_targets)
loss = ce_loss

model.eval()
with torch.no_grad():
    crf_scores, wmaps_sorted, tmaps_sorted, wmap_lengths_sorted, _, __ = model(
        cmaps_f, cmaps_b, cmarkers_f, cmarkers_b, wmaps, tmaps, wmap_lengths, cmap_lengths
    )
    best_paths = crf_scores.max(-1)[0].argmax(-1)
