package org.ndis4j.ndis.types;

/** NDIS_MEDIA_DUPLEX_STATE. */
public enum MediaDuplexState {
    MediaDuplexStateUnknown,
    MediaDuplexStateHalf,
    MediaDuplexStateFull
}
