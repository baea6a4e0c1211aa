// The FMA peak of one core through the Vector API (12 independent accumulators, no loads): the ceiling for the
// GEMM tiles. java --add-modules jdk.incubator.vector bench/probes/Peak.java
import jdk.incubator.vector.*;
public class Peak {
    static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    static float run(long iters, float[] a) {
        FloatVector c0=FloatVector.zero(S),c1=c0,c2=c0,c3=c0,c4=c0,c5=c0,c6=c0,c7=c0,c8=c0,c9=c0,c10=c0,c11=c0;
        FloatVector x=FloatVector.fromArray(S,a,0), y=FloatVector.fromArray(S,a,S.length());
        for(long i=0;i<iters;i++){ c0=x.fma(y,c0);c1=x.fma(y,c1);c2=x.fma(y,c2);c3=x.fma(y,c3);c4=x.fma(y,c4);c5=x.fma(y,c5);
            c6=x.fma(y,c6);c7=x.fma(y,c7);c8=x.fma(y,c8);c9=x.fma(y,c9);c10=x.fma(y,c10);c11=x.fma(y,c11);}
        return c0.add(c1).add(c2).add(c3).add(c4).add(c5).add(c6).add(c7).add(c8).add(c9).add(c10).add(c11).reduceLanes(VectorOperators.ADD);
    }
    public static void main(String[] args){
        float[] a=new float[64]; for(int i=0;i<64;i++) a[i]=1e-9f;
        for(int r=0;r<8;r++){ long it=100_000_000L; long t0=System.nanoTime(); float s=run(it,a); double dt=(System.nanoTime()-t0)/1e9;
            System.out.printf("%.1f GFLOP/s (lanes %d) %s%n", it*12.0*S.length()*2/dt/1e9, S.length(), s>1e30?"x":""); }
    }
}
