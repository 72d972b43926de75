package org.ndis4j.tools.bench;

import static org.assertj.core.api.Assertions.assertThat;

import jdk.jfr.FlightRecorder;
import jdk.jfr.RecordingState;
import org.junit.jupiter.api.Test;

class ProfileTest {

    @Test
    void primeLeavesNoRecordingRunning() {
        Profile.prime();

        assertThat(FlightRecorder.getFlightRecorder().getRecordings())
                .noneMatch(r -> r.getState() == RecordingState.RUNNING || r.getState() == RecordingState.NEW);
    }
}
