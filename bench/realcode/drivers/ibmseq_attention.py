# Mirrors IBM/pytorch-seq2seq's use of attention.py: DecoderRNN(use_attention=True) attends over
# the bidirectional EncoderRNN outputs at every step (examples/sample.py toy setup: hidden 128,
# decoder hidden 256, teacher forcing 0.5), and the module on its own as its docstring example
# shows (dim 256, context length 3, output length 5, batch 5), with and without set_mask().
import torch

from seq2seq.models import DecoderRNN, EncoderRNN, Seq2seq
from seq2seq.models.attention import Attention

torch.manual_seed(0)
src_vocab, tgt_vocab, max_len, hidden_size, sos_id, eos_id = 13, 15, 50, 128, 2, 3
encoder = EncoderRNN(src_vocab, max_len, hidden_size, bidirectional=True, variable_lengths=True)
decoder = DecoderRNN(
    tgt_vocab,
    max_len,
    hidden_size * 2,
    dropout_p=0.2,
    use_attention=True,
    bidirectional=True,
    eos_id=eos_id,
    sos_id=sos_id,
)
seq2seq = Seq2seq(encoder, decoder)
input_variable = torch.randint(4, src_vocab, (4, 12))
target_variable = torch.cat([torch.full((4, 1), sos_id), torch.randint(4, tgt_vocab, (4, 10))], 1)
decoder_outputs, decoder_hidden, other = seq2seq(
    input_variable, [12, 10, 9, 5], target_variable, teacher_forcing_ratio=0.5
)
attention_scores = other["attention_score"]

attention = Attention(256)
context = torch.randn(5, 3, 256)
output = torch.randn(5, 5, 256)
output, attn = attention(output, context)
mask = torch.zeros(5, 5, 3, dtype=torch.bool)
mask[:, :, 2] = True
attention.set_mask(mask)
output, attn = attention(torch.randn(5, 5, 256), context)
