package dev.parley.common.problem;

/** Thrown anywhere in a request to answer with the given problem; never logged as an error. */
public class ProblemException extends RuntimeException {

    private final ProblemCode code;

    public ProblemException(ProblemCode code, String detail) {
        super(detail, null, false, false);
        this.code = code;
    }

    public ProblemCode code() {
        return code;
    }

    public static ProblemException notFound(ProblemCode code, String what) {
        return new ProblemException(code, what);
    }
}
