package se.regionorebrolan.bhv.compensation.domain;

/**
 * A well-formed request that the rules or the current state refuse (409): the message says why, in words a user of
 * the API can act on, and never quotes personal data. Nothing was changed.
 */
public class RefusedException extends RuntimeException {

    public RefusedException(String why) {
        super(why);
    }
}
