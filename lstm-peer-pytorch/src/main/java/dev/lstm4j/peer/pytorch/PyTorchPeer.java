package dev.lstm4j.peer.pytorch;

import dev.lstm4j.peer.PeerMain;

/** The pytorch peer process: {@code --request FILE --report FILE} (see {@link PeerMain}). */
public final class PyTorchPeer {
    private PyTorchPeer() {
    }

    public static void main(String[] args) {
        System.exit(PeerMain.run(args, new PyTorchEngine()));
    }
}
