# Mirrors IBM/pytorch-seq2seq examples/sample.py on its toy reverse task (max_len 50,
# hidden_size 128, bidirectional EncoderRNN with variable_lengths, DecoderRNN with attention,
# dropout 0.2): SupervisedTrainer._train_batch's Seq2seq forward with teacher_forcing_ratio 0.5
# and 1.0, then Predictor-style greedy decoding of one sequence; also a unidirectional GRU
# decoder without attention. Batch 4 (lengths sorted, as the bucket iterator yields them).
import torch

from seq2seq.models import DecoderRNN, EncoderRNN, Seq2seq

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
for param in seq2seq.parameters():
    param.data.uniform_(-0.08, 0.08)

input_lengths = [12, 10, 9, 5]
input_variable = torch.randint(4, src_vocab, (4, 12))
target_variable = torch.cat([torch.full((4, 1), sos_id), torch.randint(4, tgt_vocab, (4, 12))], 1)
loss_fn = torch.nn.NLLLoss(ignore_index=1)
for ratio in (0.5, 1.0):
    decoder_outputs, decoder_hidden, other = seq2seq(
        input_variable, input_lengths, target_variable, teacher_forcing_ratio=ratio
    )
    loss = sum(
        loss_fn(step_output.contiguous().view(4, -1), target_variable[:, step + 1])
        for step, step_output in enumerate(decoder_outputs)
    )

seq2seq.eval()
with torch.no_grad():
    src_id_seq = torch.randint(4, src_vocab, (1, 7))
    softmax_list, _, other = seq2seq(src_id_seq, [7])
    length = other["length"][0]
    tgt_id_seq = [other["sequence"][di][0].item() for di in range(length)]

enc = EncoderRNN(src_vocab, max_len, 64, rnn_cell="gru")
dec = DecoderRNN(tgt_vocab, max_len, 64, rnn_cell="gru", eos_id=eos_id, sos_id=sos_id)
outputs, hidden, other = Seq2seq(enc, dec)(input_variable, None, target_variable, teacher_forcing_ratio=0)
