// One convolution kernel, repeated: java ... -cp bench/target/benchmarks.jar bench/probes/ConvOne.java IN OUT SIZE K STRIDE PAD fwd|bin|bfil REPS
// prints the min and median of the last two thirds of the calls (the first third warms the JIT).
import antidote.backend.*;
import antidote.core.Device;
import java.util.*;
public class ConvOne {
    public static void main(String[] a) {
        Backend be = Backends.get(Device.CPU);
        int in=Integer.parseInt(a[0]),out=Integer.parseInt(a[1]),s=Integer.parseInt(a[2]),k=Integer.parseInt(a[3]),st=Integer.parseInt(a[4]),p=Integer.parseInt(a[5]);
        String which=a[6]; int reps=Integer.parseInt(a[7]); int B=a.length>8?Integer.parseInt(a[8]):128;
        ConvGeometry g = new ConvGeometry(st, st, p, p);
        int os = (s + 2*p - k)/st + 1;
        int[] xs={B,in,s,s}, ws={out,in,k,k}, gs={B,out,os,os};
        SplittableRandom r = new SplittableRandom(0);
        Storage x=be.fromArray(rnd(r,B*in*s*s)), w=be.fromArray(rnd(r,out*in*k*k)), gr=be.fromArray(rnd(r,B*out*os*os));
        Runnable run = switch (which) { case "fwd" -> () -> be.conv2d(x, xs, w, ws, g); case "bin" -> () -> be.conv2dBackwardInput(gr, gs, w, ws, xs, g); default -> () -> be.conv2dBackwardFilter(x, xs, gr, gs, ws, g); };
        double[] t=new double[reps];
        for(int i=0;i<reps;i++){long t0=System.nanoTime(); run.run(); t[i]=(System.nanoTime()-t0)/1e6;}
        double[] tail=Arrays.copyOfRange(t, reps/3, reps); Arrays.sort(tail);
        System.out.printf("%s %d-%d-%d k%d s%d: min %.2f median %.2f ms%n", which, in,out,s,k,st, tail[0], tail[tail.length/2]);
    }
    static float[] rnd(SplittableRandom r, int n){ float[] f=new float[n]; for(int i=0;i<n;i++) f[i]=(float)r.nextGaussian(); return f;}
}
