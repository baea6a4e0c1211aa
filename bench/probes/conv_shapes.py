# The PyTorch side of ConvShapes.java: the same convolutions, same batch, 2 threads, median of 7 after 3.
import torch, time, statistics
torch.set_num_threads(2)
L=[(3,64,32,3,1,1,1),(64,64,32,3,1,1,4),(64,128,32,3,2,1,1),(64,128,32,1,2,0,1),(128,128,16,3,1,1,3),
   (128,256,16,3,2,1,1),(128,256,16,1,2,0,1),(256,256,8,3,1,1,3),(256,512,8,3,2,1,1),(256,512,8,1,2,0,1),(512,512,4,3,1,1,3)]
B=128; tot=0
def tm(f):
    for _ in range(3): f()
    t=[]
    for _ in range(7):
        s=time.perf_counter(); f(); t.append((time.perf_counter()-s)*1e3)
    return statistics.median(t)
for (i,o,s,k,st,p,m) in L:
    x=torch.randn(B,i,s,s); w=torch.randn(o,i,k,k)
    os_=(s+2*p-k)//st+1; g=torch.randn(B,o,os_,os_)
    f=tm(lambda: torch.nn.functional.conv2d(x,w,stride=st,padding=p))
    bi=tm(lambda: torch.nn.grad.conv2d_input(x.shape,w,g,stride=st,padding=p))
    bf=tm(lambda: torch.nn.grad.conv2d_weight(x,w.shape,g,stride=st,padding=p))
    sm=(f+(0 if i==3 else bi)+bf)*m; tot+=sm
    print(f"{i}-{o}-{s} k{k} s{st} x{m}  fwd {f:.1f}  bin {bi:.1f}  bfil {bf:.1f}  ms  (weighted {sm:.1f})")
print(f"total conv {tot:.1f} ms")
