@NullMarked
package com.fecify.gateway.web;

import org.jspecify.annotations.NullMarked;
