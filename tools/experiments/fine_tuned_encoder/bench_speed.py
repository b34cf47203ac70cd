import time, torch, e5torch
torch.set_num_threads(2)
cfg, m = e5torch.load_model(); tok = e5torch.Tokenizer()
ids = [tok.ids("my son keeps skipping 3rd period and the teacher says he vapes in the bathroom wat do i do")] * 32
print(len(ids[0]))
x, mask = e5torch.batch(ids)
with torch.no_grad():
    t = time.time(); h = m.run_layers(m.embed(x, mask), mask, 0, 8); print("fwd 8 layers b32", time.time() - t)
for K in (4, 6):
    top = m.layers[12 - K:]
    opt = torch.optim.AdamW(top.parameters(), lr=1e-5)
    with torch.no_grad():
        h = m.run_layers(m.embed(x, mask), mask, 0, 12 - K)
    t = time.time()
    for _ in range(3):
        out = m.run_layers(h, mask, 12 - K, None).mean(1).sum(); out.backward(); opt.step(); opt.zero_grad()
    print(K, "fwd+bwd+step b32", (time.time() - t) / 3)
