package dev.lstm4j.peer.dl4j;

import dev.lstm4j.peer.PeerMain;

/** The dl4j peer process: {@code --request FILE --report FILE}, as lstm-bench starts it. */
public final class Dl4jPeer {

    private Dl4jPeer() {
    }

    public static void main(String[] args) {
        System.exit(PeerMain.run(args, new Dl4jEngine()));
    }
}
