# Mirrors spro/char-rnn.pytorch train.py + generate.py: CharRNN(n_characters=100 (string.printable),
# hidden_size=100, n_characters, model='gru', n_layers=2) (train.py defaults), one train() step over
# a chunk_len-200 character batch fed one column at a time (CrossEntropyLoss summed over steps, Adam
# lr=0.01), then generate(decoder, 'Wh', 100) as train.py prints it (inlined: generate.py imports
# helpers.py, which needs unidecode); also --model lstm. Batch 4 instead of 100.
import string
import torch
import torch.nn as nn

torch.manual_seed(0)
from model import CharRNN

all_characters = string.printable
n_characters = len(all_characters)
chunk_len, batch_size = 200, 4


def char_tensor(s):
    return torch.tensor([all_characters.index(c) for c in s], dtype=torch.long)


def generate(decoder, prime_str="A", predict_len=100, temperature=0.8):
    hidden = decoder.init_hidden(1)
    prime_input = char_tensor(prime_str).unsqueeze(0)
    predicted = prime_str
    for p in range(len(prime_str) - 1):
        _, hidden = decoder(prime_input[:, p], hidden)
    inp = prime_input[:, -1]
    for p in range(predict_len):
        output, hidden = decoder(inp, hidden)
        output_dist = output.data.view(-1).div(temperature).exp()
        top_i = torch.multinomial(output_dist, 1)[0]
        predicted_char = all_characters[top_i]
        predicted += predicted_char
        inp = char_tensor(predicted_char).unsqueeze(0)
    return predicted


for kind in ("gru", "lstm"):
    decoder = CharRNN(n_characters, 100, n_characters, model=kind, n_layers=2)
    decoder_optimizer = torch.optim.Adam(decoder.parameters(), lr=0.01)
    criterion = nn.CrossEntropyLoss()
    inp = torch.randint(0, n_characters, (batch_size, chunk_len))
    target = torch.randint(0, n_characters, (batch_size, chunk_len))
    hidden = decoder.init_hidden(batch_size)
    decoder.zero_grad()
    loss = 0
    for c in range(chunk_len):
        output, hidden = decoder(inp[:, c], hidden)
        loss += criterion(output.view(batch_size, -1), target[:, c])
    loss.backward()
    decoder_optimizer.step()
    with torch.no_grad():
        generate(decoder, "Wh", 100)
