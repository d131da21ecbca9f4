package dev.lstm4j.peer.cudnn;

import dev.lstm4j.peer.PeerMain;

/** Entry point of the cuDNN peer's JVM. */
public final class CudnnPeer {
    private CudnnPeer() {
    }

    public static void main(String[] args) {
        System.exit(PeerMain.run(args, new CudnnEngine()));
    }
}
