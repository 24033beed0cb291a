package dev.parley.common.problem;

/** Thrown anywhere in a request to answer with the given problem; never logged as an error. */
public class ProblemException extends RuntimeException {

    private final ProblemCode code;
    private final java.util.List<Problem.FieldError> errors;

    public ProblemException(ProblemCode code, String detail) {
        this(code, detail, java.util.List.of());
    }

    /** A problem that names the fields at fault, for example every error of a bot definition. */
    public ProblemException(ProblemCode code, String detail, java.util.List<Problem.FieldError> errors) {
        super(detail, null, false, false);
        this.code = code;
        this.errors = errors == null ? java.util.List.of() : java.util.List.copyOf(errors);
    }

    public java.util.List<Problem.FieldError> errors() {
        return errors;
    }

    public ProblemCode code() {
        return code;
    }

    public static ProblemException notFound(ProblemCode code, String what) {
        return new ProblemException(code, what);
    }
}
