package de.amtsbote.gateway.api;

import jakarta.servlet.http.HttpServletRequest;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.TransientDataAccessException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.HttpMediaTypeNotAcceptableException;
import org.springframework.web.HttpMediaTypeNotSupportedException;
import org.springframework.web.HttpRequestMethodNotSupportedException;
import org.springframework.web.bind.MissingRequestHeaderException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.servlet.resource.NoResourceFoundException;

/** Maps every refusal to a problem document with a stable type; nothing internal leaks into a 500. */
@RestControllerAdvice
class ProblemHandler {

    private static final Logger log = LoggerFactory.getLogger(ProblemHandler.class);

    @ExceptionHandler(ApiException.class)
    ResponseEntity<ProblemDetail> refused(ApiException e, HttpServletRequest request) {
        return answer(e.type(), e.getMessage(), request, e.properties());
    }

    @ExceptionHandler(NoResourceFoundException.class)
    ResponseEntity<ProblemDetail> noSuchPath(NoResourceFoundException e, HttpServletRequest request) {
        return answer(ProblemType.NOT_FOUND, "no resource at " + request.getRequestURI(), request, Map.of());
    }

    @ExceptionHandler(HttpRequestMethodNotSupportedException.class)
    ResponseEntity<ProblemDetail> wrongMethod(HttpRequestMethodNotSupportedException e, HttpServletRequest request) {
        return answer(ProblemType.METHOD_NOT_ALLOWED, request.getMethod() + " is not supported on "
                + request.getRequestURI(), request, Map.of());
    }

    @ExceptionHandler(HttpMediaTypeNotSupportedException.class)
    ResponseEntity<ProblemDetail> wrongMediaType(HttpMediaTypeNotSupportedException e, HttpServletRequest request) {
        return answer(ProblemType.UNSUPPORTED_MEDIA_TYPE, "content type " + e.getContentType()
                + " is not supported here; expected " + e.getSupportedMediaTypes(), request, Map.of());
    }

    @ExceptionHandler(HttpMediaTypeNotAcceptableException.class)
    ResponseEntity<ProblemDetail> notAcceptable(HttpMediaTypeNotAcceptableException e, HttpServletRequest request) {
        return answer(ProblemType.NOT_ACCEPTABLE, "cannot answer in the requested media type; available: "
                + e.getSupportedMediaTypes(), request, Map.of());
    }

    @ExceptionHandler(MissingRequestHeaderException.class)
    ResponseEntity<ProblemDetail> missingHeader(MissingRequestHeaderException e, HttpServletRequest request) {
        return answer(ProblemType.MALFORMED_REQUEST, "header " + e.getHeaderName() + " is required", request, Map.of());
    }

    @ExceptionHandler(MethodArgumentTypeMismatchException.class)
    ResponseEntity<ProblemDetail> badParameter(MethodArgumentTypeMismatchException e, HttpServletRequest request) {
        return answer(ProblemType.MALFORMED_REQUEST, "parameter " + e.getName() + " is not valid", request, Map.of());
    }

    @ExceptionHandler({DataAccessResourceFailureException.class, TransientDataAccessException.class})
    ResponseEntity<ProblemDetail> databaseUnavailable(RuntimeException e, HttpServletRequest request) {
        log.error("database unavailable while serving {} {}", request.getMethod(), request.getRequestURI(), e);
        return answer(ProblemType.UNAVAILABLE, "the gateway's database is not reachable; nothing was accepted, "
                + "try again later", request, Map.of());
    }

    @ExceptionHandler(Exception.class)
    ResponseEntity<ProblemDetail> unexpected(Exception e, HttpServletRequest request) {
        log.error("unexpected failure serving {} {}", request.getMethod(), request.getRequestURI(), e);
        return answer(ProblemType.INTERNAL_ERROR, "the gateway failed to handle the request; nothing was accepted "
                + "unless a later status query shows it", request, Map.of());
    }

    private static ResponseEntity<ProblemDetail> answer(ProblemType type, String detail, HttpServletRequest request,
                                                        Map<String, Object> properties) {
        HttpHeaders headers = new HttpHeaders();
        headers.setContentType(MediaType.APPLICATION_PROBLEM_JSON);
        return new ResponseEntity<>(Problems.of(type, detail, request.getRequestURI(), properties), headers,
                type.status());
    }
}
