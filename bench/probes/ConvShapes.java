// Per-layer probe: the convolutions of PreAct-ResNet18 (3x32x32, batch 128) through the backend, forward, input and
// filter gradient, median of 7 calls after 3. Run from the repository root after building the bench jar:
//   java --add-modules jdk.incubator.vector -Xms3g -Xmx3g -Dantidote.threads=2 -cp bench/target/benchmarks.jar bench/probes/ConvShapes.java
// PyTorch side: /usr/bin/python3 bench/probes/conv_shapes.py (same shapes, same threads).
import antidote.backend.*;
import antidote.core.Device;
import java.util.*;

public class ConvShapes {
    public static void main(String[] a) {
        Backend be = Backends.get(Device.CPU);
        int[][] L = {{3,64,32,3,1,1,1},{64,64,32,3,1,1,4},{64,128,32,3,2,1,1},{64,128,32,1,2,0,1},{128,128,16,3,1,1,3},
            {128,256,16,3,2,1,1},{128,256,16,1,2,0,1},{256,256,8,3,1,1,3},{256,512,8,3,2,1,1},{256,512,8,1,2,0,1},{512,512,4,3,1,1,3}};
        int B = 128; SplittableRandom r = new SplittableRandom(0);
        double tot=0;
        for (int[] l : L) {
            int in=l[0],out=l[1],s=l[2],k=l[3],st=l[4],p=l[5],mult=l[6];
            ConvGeometry g = new ConvGeometry(st, st, p, p);
            int os = (s + 2*p - k)/st + 1;
            int[] xs={B,in,s,s}, ws={out,in,k,k}, gs={B,out,os,os};
            Storage x=be.fromArray(rnd(r,B*in*s*s)), w=be.fromArray(rnd(r,out*in*k*k)), gr=be.fromArray(rnd(r,B*out*os*os));
            double f = time(() -> be.conv2d(x, xs, w, ws, g));
            double bi = time(() -> be.conv2dBackwardInput(gr, gs, w, ws, xs, g));
            double bf = time(() -> be.conv2dBackwardFilter(x, xs, gr, gs, ws, g));
            double sum = (f + (in==3?0:bi) + bf)*mult; tot+=sum;
            System.out.printf("%d-%d-%d k%d s%d x%d  fwd %.1f  bin %.1f  bfil %.1f  ms  (weighted %.1f)%n", in,out,s,k,st,mult,f,bi,bf,sum);
        }
        System.out.printf("total conv %.1f ms%n", tot);
    }
    static float[] rnd(SplittableRandom r, int n){ float[] f=new float[n]; for(int i=0;i<n;i++) f[i]=(float)r.nextGaussian(); return f;}
    static double time(Runnable run){ for(int i=0;i<3;i++) run.run(); double[] t=new double[7]; for(int i=0;i<7;i++){long s=System.nanoTime(); run.run(); t[i]=(System.nanoTime()-s)/1e6;} Arrays.sort(t); return t[3]; }
}
