package de.amtsbote.gateway.console;

import jakarta.servlet.http.HttpServletRequest;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.servlet.ModelAndView;

/**
 * What every console page needs (the current path for the navigation's {@code aria-current}) and the console's
 * error page: an unexpected failure shows a page with an incident id that is also in the log, never a stack trace.
 */
@ControllerAdvice(basePackages = "de.amtsbote.gateway.console")
@Order(Ordered.HIGHEST_PRECEDENCE) // before the API's ProblemHandler, which would answer a console page with JSON
class ConsoleModel {

    private static final Logger log = LoggerFactory.getLogger(ConsoleModel.class);

    @ModelAttribute("currentPath")
    String currentPath(HttpServletRequest request) {
        return request.getRequestURI().substring(request.getContextPath().length());
    }

    @ExceptionHandler(ResponseStatusException.class)
    ModelAndView status(ResponseStatusException e, HttpServletRequest request) {
        ModelAndView mav = new ModelAndView("console/error");
        mav.setStatus(e.getStatusCode());
        mav.addObject("status", e.getStatusCode().value());
        mav.addObject("reason", e.getReason());
        mav.addObject("currentPath", currentPath(request));
        return mav;
    }

    @ExceptionHandler(Exception.class)
    @ResponseStatus(HttpStatus.INTERNAL_SERVER_ERROR)
    String unexpected(Exception e, HttpServletRequest request, Model model) {
        String incident = UUID.randomUUID().toString();
        log.error("console request {} {} failed (incident {})", request.getMethod(), request.getRequestURI(),
                incident, e);
        model.addAttribute("status", 500);
        model.addAttribute("incident", incident);
        model.addAttribute("currentPath", currentPath(request));
        return "console/error";
    }
}
