package dev.ringio.os;

import static org.junit.jupiter.api.Assertions.*;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import dev.ringio.testing.ChildJvm;
import dev.ringio.testing.LeakCheck;

/** {@link Pid} against the JDK's view of this process and a child JVM's view of its parent. */
@ExtendWith(LeakCheck.class)
@Timeout(120)
class PidTest {

    @Test
    void getpidIsThisProcessAndGetppidItsParent() {
        assertEquals(ProcessHandle.current().pid(), Pid.getpid());
        long parent = ProcessHandle.current().parent().map(ProcessHandle::pid).orElseThrow();
        assertEquals(parent, Pid.getppid());
        assertNotEquals(Pid.getpid(), Pid.getppid());
    }

    @Test
    void aChildSeesThisProcessAsItsParent() throws Exception {
        String out = ChildJvm.run(List.of(), PidChild.class);
        String first = out.lines().findFirst().orElseThrow();
        String[] ids = first.split(" ");
        assertEquals(3, ids.length, out);
        assertEquals(Long.toString(Pid.getpid()), ids[1], "the child's getppid: " + out);
        assertEquals(ids[0], ids[2], "the child's getpid and ProcessHandle agree: " + out);
        assertNotEquals(Long.toString(Pid.getpid()), ids[0], out);
    }

    /** Prints "getpid getppid ProcessHandle.pid". */
    public static final class PidChild {
        public static void main(String[] args) {
            System.out.println(Pid.getpid() + " " + Pid.getppid() + " " + ProcessHandle.current().pid());
        }
    }
}
